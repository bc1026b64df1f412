/**
 * Every sentence the core says to a person, in English, by id. The renderer's
 * catalogues (renderer/i18n/en.ts, it.ts) hold them under `core`; a unit test
 * fails when either lacks one. Placeholders are i18next's `{{name}}`; plural
 * forms end in `_one` / `_other` and take `count`.
 */
export const coreMessagesEn = {
  values: {
    unknownParameter: 'unknown parameter "{{name}}" ({{template}} has {{known}})',
    unknownParameterNone: 'unknown parameter "{{name}}" ({{template}} has no parameters)',
    lockedBySite: 'cannot be changed: the site locks it to {{value}} ({{reason}})',
    expectedInteger: 'expected integer, got {{got}}',
    expectedNumber: 'expected number, got {{got}}',
    expectedBoolean: 'expected true or false, got {{got}}',
    expectedString: 'expected string, got {{got}}',
    tooLong: 'takes at most {{max}} characters',
    patternMismatch: '{{got}} does not match the pattern {{pattern}}',
    expectedOneOf: 'expected one of {{allowed}}, got {{got}}',
    belowMinimum: '{{got}} is below the minimum {{min}}',
    aboveMaximum: '{{got}} is above the maximum {{max}}',
    /** `{{why}}` is empty or one of `quantityWhy`, in parentheses. */
    quantity: {
      cpu: 'expected a cpu quantity such as 2, 1.5 or 500m, got {{got}}{{why}}',
      memory: 'expected a memory quantity such as 4Gi, 512Mi or 4G, got {{got}}{{why}}',
      storage: 'expected a storage quantity such as 10Gi, 500Gi or 1Ti, got {{got}}{{why}}',
    },
    quantityWhy: {
      plainBytes: ' (a plain number counts bytes)',
      tooLarge: ' (too large)',
      negative: ' (it must not be negative)',
      milli: ' ("m" means thousandths; for mebibytes write Mi)',
    },
  },
  identity: {
    badName: 'environment name {{name}} must be up to 53 lower-case letters, digits and "-", starting and ending with a letter or digit',
    badNamespace: 'namespace {{namespace}} is not a valid Kubernetes namespace name',
    reservedNamespace: 'namespace "{{namespace}}" belongs to the cluster itself; choose another environment name',
  },
  profile: {
    fromSource: '{{problem}} [profile from {{source}}]',
    summary: 'site profile {{site}}: {{locks}}, {{folders}}, {{nodes}}',
    lockedSettings_one: '{{count}} locked setting',
    lockedSettings_other: '{{count}} locked settings',
    templateFolders_one: '{{count}} template folder',
    templateFolders_other: '{{count}} template folders',
    declaredNodes_one: '{{count}} declared node',
    declaredNodes_other: '{{count}} declared nodes',
  },
  profileSource: {
    cli: '--profile',
    settings: 'Settings',
    env: 'the AFP_PROFILE environment variable',
    system: 'the system-wide location',
  },
} as const;
