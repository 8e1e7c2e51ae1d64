import { headers, isStorableText } from '@taskproc/spec';
import { ApiError } from '../errors.ts';

const defaultName = 'upload';
const defaultMimeType = 'application/octet-stream';
const maxNameLength = 255;
// type/subtype with optional parameters, as RFC 9110 allows; nothing a header could not carry.
const mimeTypePattern = /^[A-Za-z0-9][\w!#$&^.+-]*\/[A-Za-z0-9][\w!#$&^.+-]*(\s*;\s*[^\s;=]+=[^;\s]+)*$/;

/**
 * The file name of an upload: the X-File-Name header (percent-decoded, since header values are
 * ASCII and names may not be), else the `name` query parameter, else `fallback` ("upload").
 */
export function parseUploadName(header: string | undefined, query: string | undefined, fallback = defaultName): string {
  let name = header?.trim() || query?.trim() || fallback;
  if (header?.trim()) {
    try {
      name = decodeURIComponent(name);
    } catch {
      // Not percent-encoding after all: keep the name as sent.
    }
  }
  const field = header?.trim() ? `header.${headers.fileName}` : 'query.name';
  // eslint-disable-next-line no-control-regex
  if (name.length > maxNameLength || /[\u0000-\u001f\u007f]/.test(name) || !isStorableText(name)) {
    throw new ApiError('invalid_request', `${field}: file names are up to ${maxNameLength} characters of well-formed text without control characters`, {
      field,
    });
  }
  return name;
}

/** The mime type of an upload: its Content-Type, or application/octet-stream when none is sent. */
export function parseUploadMimeType(contentType: string | undefined): string {
  const value = contentType?.trim();
  if (!value) return defaultMimeType;
  if (value.length > 255 || !mimeTypePattern.test(value) || !isStorableText(value)) {
    throw new ApiError('invalid_request', 'header.content-type: not a media type ("type/subtype")', {
      field: 'header.content-type',
    });
  }
  return value;
}
