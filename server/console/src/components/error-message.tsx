import { shownError } from '../api/problem.ts';

/** An error in the API's words, announced to screen readers as it appears. */
export function ErrorMessage({ error, id }: { error: unknown; id?: string }) {
  if (error === undefined || error === null) return null;
  return (
    <p class="error" role="alert" id={id}>
      {shownError(error).message}
    </p>
  );
}
