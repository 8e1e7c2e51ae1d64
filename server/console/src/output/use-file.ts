import { useEffect, useState } from 'preact/hooks';
import type { Connection } from '../api/connection.ts';

export interface LoadedFile {
  /** A blob: URL of the bytes, revoked when the component goes. */
  url: string;
  name: string;
  mimeType: string;
  size: number;
}

/**
 * A task's file, fetched with the token and shown from a blob: URL: an <img src> at the API
 * could not carry the bearer token, and the CSP allows blob: for images and media.
 */
export function useFile(connection: Connection, id: number): { file?: LoadedFile; error?: unknown } {
  const [state, setState] = useState<{ file?: LoadedFile; error?: unknown }>({});
  useEffect(() => {
    const controller = new AbortController();
    let url: string | undefined;
    connection.client.downloadFile(id, { signal: controller.signal }).then(
      (downloaded) => {
        const blob = new Blob([downloaded.bytes as Uint8Array<ArrayBuffer>], { type: downloaded.mimeType });
        url = URL.createObjectURL(blob);
        setState({ file: { url, name: downloaded.name, mimeType: downloaded.mimeType, size: blob.size } });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ error });
      },
    );
    return () => {
      controller.abort();
      if (url) URL.revokeObjectURL(url);
    };
  }, [connection, id]);
  return state;
}

/** Fetches a file and hands it to the browser as a download under its own name. */
export async function downloadToDisk(connection: Connection, id: number): Promise<void> {
  const downloaded = await connection.client.downloadFile(id);
  const url = URL.createObjectURL(new Blob([downloaded.bytes as Uint8Array<ArrayBuffer>], { type: downloaded.mimeType }));
  const link = document.createElement('a');
  link.href = url;
  link.download = downloaded.name;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own copy once started; a moment later the URL can go.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
