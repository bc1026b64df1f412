import { useDeferredValue, useMemo, useState, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParameterView, PlanRequest, PresetView } from '../../main/api';
import { useRequest } from '../client/use-request';
import { CapacityPanel } from '../components/CapacityPanel';
import { ErrorNotice } from '../components/ErrorNotice';
import { ParameterField } from '../components/ParameterField';
import { TemplateIcon } from '../components/TemplateIcon';
import { useSay } from '../i18n/say';
import { localDetail } from '../i18n/template-text';
import type { Navigate } from '../navigation';

type Values = PlanRequest['values'];

function matchingPreset(presets: PresetView[], values: Values): string | undefined {
  return presets.find((preset) => Object.entries(preset.values).every(([k, v]) => values[k] === v))?.name;
}

/** A new environment from `template`; with `environmentId`, new settings for that environment (its name stays). */
export function ConfigurePage({
  template,
  initialValues,
  initialName,
  environmentId,
  navigate,
}: {
  template: string;
  initialValues?: Values | undefined;
  initialName?: string | undefined;
  environmentId?: string | undefined;
  navigate: Navigate;
}): ReactElement {
  const { t, i18n } = useTranslation();
  const say = useSay();
  const fetched = useRequest('templates.get', { name: template });
  const detail = {
    ...fetched,
    data: useMemo(() => (fetched.data === undefined ? undefined : localDetail(fetched.data, i18n.language)), [fetched.data, i18n.language]),
  };
  const [edits, setEdits] = useState<Values>(initialValues ?? {});
  const [name, setName] = useState(initialName ?? template);

  const parameters = useMemo(() => detail.data?.parameters ?? [], [detail.data]);
  const values: Values = useMemo(
    () => Object.fromEntries(parameters.map((p) => [p.name, edits[p.name] ?? p.locked?.value ?? p.default])),
    [parameters, edits],
  );
  const request: PlanRequest = { template, values: edits, name, target: 'kube' };
  const deferred = useDeferredValue(request);
  const preview = useRequest('plan.render', deferred);
  const profile = useRequest('profile.get', {});
  const existing = useRequest('environments.get', { id: environmentId ?? '' }, { enabled: environmentId !== undefined });
  const runsOn = existing.data?.summary.target;
  const cluster = runsOn?.traits.readsCluster === true ? { kubeconfig: runsOn.kubeconfig, context: runsOn.context } : undefined;
  const hasProfileCapacity = profile.data?.active?.hasCapacity === true;

  if (detail.error !== null) return <ErrorNotice error={detail.error} onRetry={() => void detail.refetch()} />;
  if (detail.data === undefined) return <p aria-live="polite">{t('catalogue.loading')}</p>;

  const problems = preview.data?.valid === false ? preview.data.problems : [];
  // The core names the environment's name `environment.name` (and its namespace, which the name gives): both belong to the name field.
  const fieldOf = (problem: { field?: string | undefined }): string | undefined =>
    problem.field === 'environment.name' || problem.field === 'environment.namespace' ? 'name' : problem.field;
  const problemOf = (field: string): string | undefined => {
    const shown = problems.filter((p) => fieldOf(p) === field).map(say);
    return shown.length === 0 ? undefined : shown.join(' ');
  };
  const general = problems.filter((p) => {
    const field = fieldOf(p);
    return field === undefined || (field !== 'name' && !parameters.some((param) => param.name === field));
  });
  const groups = groupBy(parameters);
  const selectedPreset = matchingPreset(detail.data.presets, values);
  const valid = preview.data?.valid === true && !preview.isFetching;

  return (
    <section aria-labelledby="configure-title" className="configure">
      <header className="page-header with-icon">
        <TemplateIcon icon={detail.data.card.icon} name={template} />
        <div>
          {environmentId === undefined ? (
            <p className="breadcrumb">
              <button type="button" className="link-button" onClick={() => navigate({ page: 'catalogue' })}>
                {t('nav.catalogue')}
              </button>{' '}
              / {detail.data.card.title}
            </p>
          ) : (
            <p className="breadcrumb">
              <button type="button" className="link-button" onClick={() => navigate({ page: 'environments' })}>
                {t('nav.environments')}
              </button>{' '}
              /{' '}
              <button type="button" className="link-button" onClick={() => navigate({ page: 'environment', id: environmentId })}>
                {name}
              </button>
            </p>
          )}
          <h1 id="configure-title">
            {environmentId === undefined ? t('configure.title', { title: detail.data.card.title }) : t('configure.changeTitle', { name })}
          </h1>
          <p className="subtitle">{detail.data.card.description}</p>
        </div>
      </header>

      {detail.data.presets.length > 0 && (
        <fieldset className="presets">
          <legend className="field-label">{t('configure.presets')}</legend>
          <div className="segmented" role="radiogroup">
            {detail.data.presets.map((preset) => (
              <button
                key={preset.name}
                type="button"
                role="radio"
                aria-checked={selectedPreset === preset.name}
                className="segment"
                data-preset={preset.name}
                onClick={() => setEdits(lockedKept(parameters, preset.values))}
              >
                {preset.title}
                {preset.description !== undefined && <span className="preset-description">{preset.description}</span>}
              </button>
            ))}
          </div>
        </fieldset>
      )}

      <div className="form-grid">
        <div className={`field name-field${problemOf('name') === undefined ? '' : ' has-error'}`}>
          <label htmlFor="env-name" className="field-label">
            {t('configure.name')}
          </label>
          <input
            id="env-name"
            type="text"
            spellCheck={false}
            value={name}
            readOnly={environmentId !== undefined}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={problemOf('name') !== undefined}
            aria-describedby={problemOf('name') === undefined ? 'env-name-help' : 'env-name-help env-name-error'}
          />
          <p id="env-name-help" className="help">
            {environmentId === undefined ? t('configure.nameHelp') : t('configure.nameKept')}
          </p>
          {problemOf('name') !== undefined && (
            <p id="env-name-error" className="field-error" role="alert">
              {problemOf('name')}
            </p>
          )}
        </div>
        {groups.map(([group, members]) => (
          <fieldset key={group} className="parameter-group">
            <legend>{group === '' ? t('configure.settings') : group}</legend>
            {members.map((parameter) => (
              <ParameterField
                key={parameter.name}
                parameter={parameter}
                named={group !== '' && sameWords(group, parameter.title)}
                value={values[parameter.name] ?? parameter.default}
                problem={problemOf(parameter.name)}
                onChange={(value) => setEdits((current) => ({ ...current, [parameter.name]: value }))}
              />
            ))}
          </fieldset>
        ))}
      </div>

      {general.map((problem) => (
        <p key={`${problem.field ?? ''}${problem.message}`} className="field-error" role="alert">
          {say(problem)}
        </p>
      ))}
      {preview.error !== null && <ErrorNotice error={preview.error} />}

      {preview.data?.valid === true && (
        <CapacityPanel
          request={deferred}
          hasProfileCapacity={hasProfileCapacity}
          cluster={cluster}
          titleOf={(name) => parameters.find((p) => p.name === name)?.title ?? name}
          onUse={(parameter, value) => setEdits((current) => ({ ...current, [parameter]: value }))}
        />
      )}

      <div className="actions">
        <button type="button" className="button" onClick={() => setEdits({})}>
          {t('configure.reset')}
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={!valid}
          // An update sends every value as shown here: the environment's stored values would otherwise fill what was reset to a default.
          onClick={() =>
            navigate(
              environmentId === undefined
                ? { page: 'review', request: { ...request, values: edits } }
                : { page: 'review', request: { ...request, values }, environmentId },
            )
          }
        >
          {t('configure.review')}
        </button>
      </div>
    </section>
  );
}

/** A preset never overrides a site lock. */
function lockedKept(parameters: ParameterView[], preset: Values): Values {
  return Object.fromEntries(Object.entries(preset).filter(([name]) => parameters.find((p) => p.name === name)?.locked === undefined));
}

function groupBy(parameters: ParameterView[]): [string, ParameterView[]][] {
  const groups = new Map<string, ParameterView[]>();
  for (const parameter of parameters) groups.set(parameter.group ?? '', [...(groups.get(parameter.group ?? '') ?? []), parameter]);
  return [...groups.entries()];
}

/** "Workers" and "workers" name the same thing: a field titled as its group is not labelled twice. */
function sameWords(a: string, b: string): boolean {
  return a.trim().toLocaleLowerCase() === b.trim().toLocaleLowerCase();
}
