import type { Shape, ShapeEnumValues } from '@taskproc/spec';
import type { Connection } from '../../api/connection.ts';
import { SlotValue } from '../../output/slot-value.tsx';

export interface SlotValuesProps {
  connection: Connection;
  values: Record<string, unknown>;
  /** The slots the values belong to; slots not in it are shown as JSON under their key. */
  shape: Shape;
  enumValues: ShapeEnumValues;
  plain: boolean;
}

/** A task's input or output, slot by slot, each rendered by its type. */
export function SlotValues({ connection, values, shape, enumValues, plain }: SlotValuesProps) {
  // The shape's order (input first, as the type declares it), then anything else.
  const keys = [...Object.keys(shape).filter((key) => key in values), ...Object.keys(values).filter((key) => !(key in shape))];
  if (keys.length === 0) return <p class="muted">Nothing.</p>;
  return (
    <dl class="slots">
      {keys.map((key) => {
        const descriptor = shape[key];
        const label = descriptor?.name ?? key;
        return (
          <div class="slot" key={key} data-slot={key}>
            <dt>
              {label} {descriptor && <span class="muted">({descriptor.type})</span>}
            </dt>
            <dd>
              <SlotValue connection={connection} type={descriptor?.type} value={values[key]} label={label} enumValues={enumValues[key]} plain={plain} />
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
