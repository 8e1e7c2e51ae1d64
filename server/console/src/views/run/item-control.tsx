import type { ShapeEnumValue, ShapeType } from '@taskproc/spec';
import { isFileShapeType } from '@taskproc/spec';
import type { ItemValue } from './form-model.ts';
import { FileInput } from './file-input.tsx';

export interface ItemControlProps {
  id: string;
  type: ShapeType;
  value: ItemValue;
  onChange: (value: ItemValue) => void;
  enumValues: ShapeEnumValue[] | undefined;
  /** Whether an Enum select offers "none" (an optional slot, or one with a default). */
  allowEmpty: boolean;
  describedBy: string | undefined;
  invalid: boolean;
  required: boolean;
}

/** The control for one value of a slot type: Text, Number, Enum or a file. */
export function ItemControl(props: ItemControlProps) {
  const { id, type, value, onChange, describedBy, invalid, required } = props;
  const aria = { 'aria-describedby': describedBy, 'aria-invalid': invalid, 'aria-required': required };
  if (isFileShapeType(type)) {
    return (
      <FileInput
        id={id}
        type={type}
        file={value instanceof File ? value : null}
        onChange={onChange}
        describedBy={describedBy}
        invalid={invalid}
        required={required}
      />
    );
  }
  const text = typeof value === 'string' ? value : '';
  if (type === 'Number') {
    // A text field with a number keyboard: type="number" reports text it cannot read as '', and
    // the API would then say the slot is missing instead of what is wrong with what was typed.
    return <input id={id} type="text" inputMode="decimal" value={text} onInput={(e) => onChange(e.currentTarget.value)} {...aria} />;
  }
  if (type === 'Enum' && props.enumValues && props.enumValues.length > 0) {
    return (
      <select id={id} value={text} onChange={(e) => onChange(e.currentTarget.value)} {...aria}>
        <option value="">{props.allowEmpty ? '— none —' : '— choose —'}</option>
        {props.enumValues.map((option) => (
          <option key={option.value} value={option.value}>
            {option.name}
          </option>
        ))}
      </select>
    );
  }
  // Text, and an Enum whose provider lists no values (any string is then accepted).
  if (type === 'Text') {
    return <textarea id={id} rows={4} value={text} onInput={(e) => onChange(e.currentTarget.value)} {...aria} />;
  }
  return <input id={id} type="text" value={text} onInput={(e) => onChange(e.currentTarget.value)} {...aria} />;
}
