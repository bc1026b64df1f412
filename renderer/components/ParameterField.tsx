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

/** `named`: the group's legend already says the title ("Workers" in the group "Workers"), so the label is for screen readers only. */
export function ParameterField({
  parameter,
  value,
  problem,
  named = false,
  onChange,
}: {
  parameter: ParameterView;
  value: Value;
  problem?: string | undefined;
  named?: boolean;
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

  // A locked value has no range to choose from.
  const range =
    !locked && (parameter.min !== undefined || parameter.max !== undefined)
      ? t('configure.range', { min: parameter.min ?? '—', max: parameter.max ?? '—' })
      : undefined;
  return (
    <div className={`field parameter${problem === undefined ? '' : ' has-error'}${locked ? ' is-locked' : ''}`}>
      <label htmlFor={id} className={named ? 'visually-hidden' : 'field-label'}>
        {parameter.title}
      </label>
      <div className="field-control">
        {control}
        {locked && <LockIcon />}
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

function LockIcon(): ReactElement {
  return (
    <svg className="lock-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <rect x="3" y="7" width="10" height="7" rx="1.5" fill="currentColor" />
      <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  );
}
