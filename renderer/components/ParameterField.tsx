import type { ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParameterView } from '../../main/api';

type Value = string | number | boolean;

/** What the user typed, as the contract's value: numbers when they read as numbers, else the text (the main process explains why it is wrong). */
function fromInput(parameter: ParameterView, raw: string): Value {
  if ((parameter.type === 'integer' || parameter.type === 'number') && raw.trim() !== '' && Number.isFinite(Number(raw)))
    return Number(raw);
  return raw;
}

export function ParameterField({
  parameter,
  value,
  problem,
  onChange,
}: {
  parameter: ParameterView;
  value: Value;
  problem?: string | undefined;
  onChange: (value: Value) => void;
}): ReactElement {
  const { t } = useTranslation();
  const id = `param-${parameter.name}`;
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const locked = parameter.locked !== undefined;
  const described = [parameter.help === undefined ? '' : helpId, problem === undefined ? '' : errorId, locked ? `${id}-lock` : '']
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    disabled: locked,
    'aria-invalid': problem !== undefined,
    'aria-describedby': described === '' ? undefined : described,
    'data-parameter': parameter.name,
  };

  let control: ReactElement;
  if (parameter.type === 'boolean') {
    control = <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
  } else if (parameter.type === 'enum') {
    control = (
      <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}>
        {(parameter.options ?? []).map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    );
  } else if (parameter.type === 'integer' || parameter.type === 'number') {
    control = (
      <input
        type="number"
        inputMode={parameter.type === 'integer' ? 'numeric' : 'decimal'}
        {...common}
        value={String(value)}
        min={typeof parameter.min === 'number' ? parameter.min : undefined}
        max={typeof parameter.max === 'number' ? parameter.max : undefined}
        step={parameter.step ?? (parameter.type === 'integer' ? 1 : 'any')}
        onChange={(e) => onChange(fromInput(parameter, e.target.value))}
      />
    );
  } else {
    const wide = parameter.type === 'string' ? 'wide' : undefined;
    control = (
      <input
        type="text"
        className={wide}
        spellCheck={false}
        {...common}
        value={String(value)}
        onChange={(e) => onChange(fromInput(parameter, e.target.value))}
      />
    );
  }

  const range =
    parameter.min !== undefined || parameter.max !== undefined
      ? t('configure.range', { min: parameter.min ?? '—', max: parameter.max ?? '—' })
      : undefined;
  return (
    <div className={`field parameter${problem === undefined ? '' : ' has-error'}`}>
      <label htmlFor={id} className="field-label">
        {parameter.title}
      </label>
      <div className="field-control">
        {control}
        {parameter.unit !== undefined && <span className="unit">{parameter.unit}</span>}
        {range !== undefined && <span className="range">{range}</span>}
      </div>
      {parameter.help !== undefined && (
        <p id={helpId} className="help">
          {parameter.help}
        </p>
      )}
      {locked && (
        <p id={`${id}-lock`} className="locked">
          {t('configure.locked', { reason: parameter.locked?.reason ?? '' })}
        </p>
      )}
      {problem !== undefined && (
        <p id={errorId} className="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
