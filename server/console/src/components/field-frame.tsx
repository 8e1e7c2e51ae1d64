import type { ComponentChildren } from 'preact';

// A field's parts around its control: the label, a help line and the API's message. The ids
// follow one pattern (`<id>-help`, `<id>-error`), so the control's aria-describedby and what is
// on screen cannot drift apart.

export interface FieldNotesProps {
  id: string;
  help?: ComponentChildren;
  error?: string | undefined;
}

/** What the control of field `id` names in aria-describedby: the notes that are shown. */
export function describedByOf({ id, help, error }: FieldNotesProps): string | undefined {
  return [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** The help line and the error under a control (or a group of them). */
export function FieldNotes({ id, help, error }: FieldNotesProps) {
  return (
    <>
      {help && (
        <p class="help" id={`${id}-help`}>
          {help}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </>
  );
}

export interface FieldFrameProps extends FieldNotesProps {
  label: ComponentChildren;
  /** The control, labelled by `id`. */
  children: ComponentChildren;
  /** The input slot the field is for (data-slot), on the task form. */
  slot?: string;
}

/** One labelled control with its notes, marked invalid while it has an error. */
export function FieldFrame({ id, label, help, error, children, slot }: FieldFrameProps) {
  return (
    <div class={`field${error ? ' invalid' : ''}`} data-slot={slot}>
      <label for={id}>{label}</label>
      {children}
      <FieldNotes id={id} help={help} error={error} />
    </div>
  );
}
