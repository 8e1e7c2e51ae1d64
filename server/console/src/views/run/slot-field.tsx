import { useRef } from 'preact/hooks';
import { isListShapeType } from '@taskproc/spec';
import { describedByOf, FieldFrame, FieldNotes } from '../../components/field-frame.tsx';
import { itemTypeOf } from '../../shape-types.ts';
import { emptyItem, type FieldValue, type ItemValue, type SlotSpec } from './form-model.ts';
import { ItemControl } from './item-control.tsx';

export interface SlotFieldProps {
  slot: SlotSpec;
  value: FieldValue;
  onChange: (value: FieldValue) => void;
  /** The API's message for this slot, shown under it. */
  error: string | undefined;
}

export const slotFieldId = (key: string) => `slot-${key}`;

/** One input slot: its label, its control (repeatable for list types), its help and the API's error. */
export function SlotField({ slot, value, onChange, error }: SlotFieldProps) {
  const id = slotFieldId(slot.key);
  const help = (slot.description || slot.defaultValue !== undefined) && (
    <>
      {slot.description}
      {slot.defaultValue !== undefined && (
        <span class="default">
          {slot.description ? ' · ' : ''}default {String(slot.defaultValue)}
        </span>
      )}
    </>
  );
  const describedBy = describedByOf({ id, help, error });
  // The API decides what is missing; the mark only tells people before they send.
  const required = !slot.optional && slot.defaultValue === undefined;
  const marker = required ? 'required' : 'optional';

  if (isListShapeType(slot.type)) {
    return (
      <fieldset class={`field list-field${error ? ' invalid' : ''}`} data-slot={slot.key}>
        <legend id={id} tabIndex={-1}>
          {slot.name} <span class="marker">({marker}, list)</span>
        </legend>
        <ListRows slot={slot} items={Array.isArray(value) ? value : []} onChange={onChange} describedBy={describedBy} invalid={!!error} />
        <FieldNotes id={id} help={help} error={error} />
      </fieldset>
    );
  }
  const label = (
    <>
      {slot.name} <span class="marker">({marker})</span>
    </>
  );
  return (
    <FieldFrame id={id} label={label} help={help} error={error} slot={slot.key}>
      <ItemControl
        id={id}
        type={slot.type}
        value={Array.isArray(value) ? null : value}
        onChange={onChange}
        enumValues={slot.enumValues}
        allowEmpty={!required}
        describedBy={describedBy}
        invalid={!!error}
        required={required}
      />
    </FieldFrame>
  );
}

interface ListRowsProps {
  slot: SlotSpec;
  items: ItemValue[];
  onChange: (value: FieldValue) => void;
  describedBy: string | undefined;
  invalid: boolean;
}

/**
 * Keys for the rows of a list, one per row for its whole life. A file input keeps the file it
 * shows itself: keyed by position, removing a row would leave the next row's file in the
 * removed row's input.
 */
function useRowKeys(length: number) {
  const made = useRef({ next: 0, keys: [] as number[] });
  const { keys } = made.current;
  // Rows added at the end get new keys; a removed row takes its key with it (remove).
  while (keys.length < length) keys.push(made.current.next++);
  keys.length = length;
  return {
    keys,
    /** The key the next row added will get. */
    upcoming: () => made.current.next,
    remove: (i: number) => void keys.splice(i, 1),
  };
}

/** The rows of a list slot, each with its own labelled control, plus Add and Remove. */
function ListRows({ slot, items, onChange, describedBy, invalid }: ListRowsProps) {
  const type = itemTypeOf(slot.type);
  const container = useRef<HTMLDivElement>(null);
  const rows = useRowKeys(items.length);
  const rowId = (key: number) => `${slotFieldId(slot.key)}-${key}`;
  const set = (i: number, item: ItemValue) => onChange(items.map((old, j) => (j === i ? item : old)));
  return (
    <div ref={container} class="list-rows">
      {items.map((item, i) => {
        const key = rows.keys[i]!;
        return (
          <div class="list-row" key={key}>
            <label for={rowId(key)} class="row-label">
              {slot.name} {i + 1}
            </label>
            <ItemControl
              id={rowId(key)}
              type={type}
              value={item}
              onChange={(v) => set(i, v)}
              enumValues={slot.enumValues}
              allowEmpty
              describedBy={describedBy}
              invalid={invalid}
              required={false}
            />
            <button
              type="button"
              class="secondary"
              aria-label={`Remove ${slot.name} ${i + 1}`}
              onClick={() => {
                rows.remove(i);
                onChange(items.filter((_, j) => j !== i));
              }}
            >
              Remove
            </button>
          </div>
        );
      })}
      <button
        type="button"
        class="secondary"
        onClick={() => {
          const key = rows.upcoming();
          onChange([...items, emptyItem(type)]);
          // The new row's control takes the focus, so keyboard users can type on at once.
          requestAnimationFrame(() => container.current?.querySelector<HTMLElement>(`#${CSS.escape(rowId(key))}`)?.focus());
        }}
      >
        Add {slot.name.toLowerCase()}
      </button>
    </div>
  );
}
