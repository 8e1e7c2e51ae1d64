import { useEffect, useState } from 'preact/hooks';
import type { ShapeType } from '@taskproc/spec';
import { formatBytes } from '../../components/time-text.tsx';

const accepts: Partial<Record<ShapeType, string>> = { Image: 'image/*', Audio: 'audio/*', Video: 'video/*' };

export interface FileInputProps {
  id: string;
  type: ShapeType;
  file: File | null;
  onChange: (file: File | null) => void;
  describedBy: string | undefined;
  invalid: boolean;
  required: boolean;
}

/** A file for an Image, Audio, Video or File slot, with a preview of what was chosen. */
export function FileInput({ id, type, file, onChange, describedBy, invalid, required }: FileInputProps) {
  return (
    <div class="file-input">
      <input
        id={id}
        type="file"
        accept={accepts[type]}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        aria-required={required}
        onChange={(e) => onChange(e.currentTarget.files?.[0] ?? null)}
      />
      {file && <FilePreview type={type} file={file} />}
    </div>
  );
}

function FilePreview({ type, file }: { type: ShapeType; file: File }) {
  const [url, setUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    // Previews are local blob: URLs: nothing is uploaded before the form is sent.
    const made = type === 'File' ? undefined : URL.createObjectURL(file);
    setUrl(made);
    return () => {
      if (made) URL.revokeObjectURL(made);
    };
  }, [file, type]);
  const caption = `${file.name} (${formatBytes(file.size)})`;
  return (
    <figure class="preview">
      {url && type === 'Image' && <img src={url} alt={`Preview of ${file.name}`} />}
      {url && type === 'Audio' && <audio controls src={url} aria-label={`Preview of ${file.name}`} />}
      {url && type === 'Video' && <video controls src={url} aria-label={`Preview of ${file.name}`} />}
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
