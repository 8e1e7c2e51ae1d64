import { useState } from 'preact/hooks';
import type { ShapeEnumValue, ShapeType } from '@taskproc/spec';
import type { Connection } from '../api/connection.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { formatBytes } from '../components/time-text.tsx';
import { useLoad } from '../components/use-load.ts';
import { itemTypeOf } from '../shape-types.ts';
import { markdownHtml } from './markdown.ts';
import { downloadToDisk, useFile } from './use-file.ts';

export interface SlotValueProps {
  connection: Connection;
  /** The slot's type; undefined when the task's type is no longer known (shown as JSON). */
  type: ShapeType | undefined;
  value: unknown;
  label: string;
  enumValues?: ShapeEnumValue[] | undefined;
  /** Text as written, instead of rendered as markdown. */
  plain?: boolean;
}

/** One slot value of a task's input or output, shown for people by its slot type. */
export function SlotValue(props: SlotValueProps) {
  const { type, value } = props;
  if (type?.startsWith('ListOf') && Array.isArray(value)) {
    const itemType = itemTypeOf(type);
    return (
      <ol class={`slot-list list-${itemType.toLowerCase()}`}>
        {value.map((item, i) => (
          <li key={i}>
            <SlotValue {...props} type={itemType} value={item} label={`${props.label} ${i + 1}`} />
          </li>
        ))}
      </ol>
    );
  }
  if (type === 'Text' && typeof value === 'string') return <TextValue text={value} plain={props.plain ?? false} />;
  if (type === 'Number' && typeof value === 'number') return <span class="number">{value}</span>;
  if (type === 'Enum' && typeof value === 'string') {
    const name = props.enumValues?.find((e) => e.value === value)?.name;
    return <span>{name && name !== value ? `${name} (${value})` : value}</span>;
  }
  if ((type === 'Image' || type === 'Audio' || type === 'Video' || type === 'File') && typeof value === 'number') {
    return <FileValue connection={props.connection} type={type} id={value} label={props.label} />;
  }
  return <pre class="json">{JSON.stringify(value, null, 2)}</pre>;
}

function TextValue({ text, plain }: { text: string; plain: boolean }) {
  if (plain) return <div class="text-plain">{text}</div>;
  // A fresh element per text (key), so Preact replaces it rather than clearing its innerHTML
  // with a plain string, which Trusted Types would refuse.
  return <div key={text} class="markdown" dangerouslySetInnerHTML={{ __html: markdownHtml(text) }} />;
}

function FileValue({ connection, type, id, label }: { connection: Connection; type: ShapeType; id: number; label: string }) {
  if (type === 'File') return <FileDownload connection={connection} id={id} />;
  return <MediaFile connection={connection} type={type} id={id} label={label} />;
}

function MediaFile({ connection, type, id, label }: { connection: Connection; type: ShapeType; id: number; label: string }) {
  const { file, error } = useFile(connection, id);
  if (error) return <ErrorMessage error={error} />;
  if (!file) return <span class="muted">loading file {id}…</span>;
  const caption = `${file.name} (${formatBytes(file.size)})`;
  return (
    <figure class="media">
      {type === 'Image' && <img src={file.url} alt={`${label}: ${file.name}`} />}
      {type === 'Audio' && <audio controls src={file.url} aria-label={label} />}
      {type === 'Video' && <video controls src={file.url} aria-label={label} />}
      <figcaption>
        <a href={file.url} download={file.name}>
          Download {caption}
        </a>
      </figcaption>
    </figure>
  );
}

function FileDownload({ connection, id }: { connection: Connection; id: number }) {
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const info = useFileInfo(connection, id);
  const name = info ? `${info.name} (${formatBytes(info.size)})` : `file ${id}`;
  return (
    <span class="file">
      <button
        type="button"
        class="link"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          downloadToDisk(connection, id).then(
            () => setBusy(false),
            (err: unknown) => {
              setError(err);
              setBusy(false);
            },
          );
        }}
      >
        Download {name}
      </button>
      <ErrorMessage error={error} />
    </span>
  );
}

function useFileInfo(connection: Connection, id: number) {
  // The name and size only; the bytes are fetched when asked for.
  return useLoad((signal) => connection.client.fileInfo(id, { signal }), [connection, id]).data;
}
