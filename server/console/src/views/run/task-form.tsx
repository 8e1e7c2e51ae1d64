import { useLayoutEffect, useMemo, useState } from 'preact/hooks';
import type { AvailableTaskType, Task } from '@taskproc/client';
import type { Connection } from '../../api/connection.ts';
import { shownError } from '../../api/problem.ts';
import { randomKey } from '../../api/random-key.ts';
import { describedByOf, FieldFrame } from '../../components/field-frame.tsx';
import { buildInput, initialValue, numberOrText, slotsOf, SlotUploadError, uploadOnce, type FieldValue } from './form-model.ts';
import { SlotField, slotFieldId } from './slot-field.tsx';

/** Request fields besides the input that the form offers, by their name in problem `field`. */
const optionFields = ['customId', 'userId', 'priority', 'webhookUri'] as const;
type OptionField = (typeof optionFields)[number];

interface Errors {
  slots: Record<string, string>;
  fields: Partial<Record<OptionField, string>>;
  form?: string;
}
const noErrors: Errors = { slots: {}, fields: {} };

export interface TaskFormProps {
  connection: Connection;
  type: AvailableTaskType;
  onScheduled: (task: Task) => void;
}

/**
 * The form for one task type, generated from its input shape and the serving provider's
 * additions. It validates nothing itself: the API's answer is the validation, and its message
 * is shown on the slot or field it names.
 */
export function TaskForm({ connection, type, onScheduled }: TaskFormProps) {
  const slots = useMemo(() => slotsOf(type), [type]);
  const [values, setValues] = useState<Record<string, FieldValue>>(() => Object.fromEntries(slots.map((s) => [s.key, initialValue(s)])));
  const [options, setOptions] = useState<Record<OptionField, string>>({ customId: '', userId: '', priority: '', webhookUri: '' });
  const [errors, setErrors] = useState<Errors>(noErrors);
  const [busy, setBusy] = useState(false);
  const upload = useMemo(
    () => uploadOnce(async (file) => (await connection.client.uploadFile(file, { name: file.name, mimeType: file.type || undefined })).id),
    [connection],
  );

  // After a refusal, the field at fault takes the focus, so its message is read out with it; in
  // the same commit as the message (a layout effect), so nobody sees the one without the other.
  useLayoutEffect(() => {
    const slot = Object.keys(errors.slots)[0];
    const field = Object.keys(errors.fields)[0];
    const target = slot ? slotFieldId(slot) : field ? `option-${field}` : errors.form ? 'form-error' : undefined;
    if (target) document.getElementById(target)?.focus();
  }, [errors]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors(noErrors);
    try {
      const input = await buildInput(slots, values, upload);
      // Text that is no number goes as typed: the client's check of the request names the field.
      const priority = options.priority.trim() === '' ? undefined : (numberOrText(options.priority) as number);
      const task = await connection.client.schedule(
        {
          type: type.id,
          input,
          // Partial output, when the provider can stream, is shown while the task runs.
          preferStreaming: true,
          ...(options.customId ? { customId: options.customId } : {}),
          ...(options.userId ? { userId: options.userId } : {}),
          ...(priority !== undefined ? { priority } : {}),
          ...(options.webhookUri ? { webhookUri: options.webhookUri } : {}),
        },
        { idempotencyKey: randomKey() },
      );
      onScheduled(task);
    } catch (err) {
      setErrors(errorsOf(err, slots.map((s) => s.key)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="task-form" onSubmit={submit} noValidate aria-describedby={errors.form ? 'form-error' : undefined}>
      {slots.length === 0 && <p class="muted">This task type takes no input.</p>}
      {slots.map((slot) => (
        <SlotField
          key={slot.key}
          slot={slot}
          value={values[slot.key] ?? initialValue(slot)}
          onChange={(value) => setValues((old) => ({ ...old, [slot.key]: value }))}
          error={errors.slots[slot.key]}
        />
      ))}
      <details class="options">
        <summary>Options: custom id, user, priority, webhook</summary>
        <OptionInput name="customId" label="Custom id" hint="Your own identifier; the task list filters by it." options={options} setOptions={setOptions} errors={errors} />
        <OptionInput name="userId" label="User" hint="The user the task is for." options={options} setOptions={setOptions} errors={errors} />
        <OptionInput name="priority" label="Priority" hint="-1000 to 1000; higher is claimed first." options={options} setOptions={setOptions} errors={errors} number />
        <OptionInput
          name="webhookUri"
          label="Webhook URL"
          hint="Called (POST, signed) when the task ends; its deliveries show on the task."
          options={options}
          setOptions={setOptions}
          errors={errors}
        />
      </details>
      {errors.form && (
        <p class="error" id="form-error" role="alert" tabIndex={-1}>
          {errors.form}
        </p>
      )}
      <div class="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Scheduling…' : 'Run task'}
        </button>
      </div>
    </form>
  );
}

function errorsOf(err: unknown, slotKeys: string[]): Errors {
  if (err instanceof SlotUploadError) return { slots: { [err.slot]: shownError(err.error).message }, fields: {} };
  const shown = shownError(err);
  if (shown.slot && slotKeys.includes(shown.slot)) return { slots: { [shown.slot]: shown.message }, fields: {} };
  const field = optionFields.find((f) => f === shown.field);
  if (field) return { slots: {}, fields: { [field]: shown.message } };
  return { slots: {}, fields: {}, form: shown.message };
}

interface OptionInputProps {
  name: OptionField;
  label: string;
  hint: string;
  options: Record<OptionField, string>;
  setOptions: (update: (old: Record<OptionField, string>) => Record<OptionField, string>) => void;
  errors: Errors;
  number?: boolean;
}

function OptionInput({ name, label, hint, options, setOptions, errors, number }: OptionInputProps) {
  const id = `option-${name}`;
  const error = errors.fields[name];
  return (
    <FieldFrame id={id} label={label} help={hint} error={error}>
      <input
        id={id}
        type="text"
        // Numbers as text, as in the slots: what was typed reaches the check, which says what is wrong.
        inputMode={number ? 'decimal' : undefined}
        value={options[name]}
        aria-describedby={describedByOf({ id, help: hint, error })}
        aria-invalid={!!error}
        onInput={(e) => {
          const value = e.currentTarget.value;
          setOptions((old) => ({ ...old, [name]: value }));
        }}
      />
    </FieldFrame>
  );
}
