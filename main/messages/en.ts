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
  fit: {
    needsClosest: 'needs {{needs}}; the closest node, {{node}}, has {{free}} free',
    needsSlotClosest: 'needs only a pod slot; the closest node, {{node}}, has {{free}} free',
    noNodes: 'the cluster has no nodes',
    cordoned_one: '{{count}} node is cordoned',
    cordoned_other: '{{count}} nodes are cordoned',
    untoleratedTaint_one: '{{count}} node has taint {{taint}}, which the pod does not tolerate',
    untoleratedTaint_other: '{{count}} nodes have taint {{taint}}, which the pod does not tolerate',
    affinityUnmatched_one: "{{count}} node does not match the pod's node selector or affinity",
    affinityUnmatched_other: "{{count}} nodes do not match the pod's node selector or affinity",
    affinityConflict: "the pod's node-name affinity terms name no node in common",
    sourceCluster: 'cluster "{{context}}" as it is now',
    sourceProfile: 'the capacity declared by {{site}}',
    cannotRead: 'Cannot read the capacity: {{problem}}',
    waitingForValues: 'Fix the highlighted values to see whether it fits.',
    noProfileCapacity:
      'The site profile declares no capacity: add a `capacity: { nodes: [...] }` section, or read a live cluster through a kubeconfig.',
    noContext: 'no context "{{context}}" (contexts: {{known}})',
    /** The Configure panel's way out of a missing kubeconfig (`afp fit` prints its own flags instead). */
    noKubeconfig: "{{problem}} Choose a kubeconfig on the Catalogue page, or read the site profile's capacity.",
  },
  kubeconfig: {
    missing: 'No kubeconfig at {{files}}.',
    missingEnv: 'No kubeconfig at {{files}} (the files KUBECONFIG names).',
    missingDefault: 'No kubeconfig at {{files}} (KUBECONFIG is not set).',
    notAMapping: 'Not a kubeconfig: expected a YAML mapping with clusters, users and contexts.',
    noCurrentContext: 'The kubeconfig sets no current-context: choose one of its contexts.',
    noContext: 'No context "{{name}}" in the kubeconfig.',
    signInFirst: 'Context "{{name}}" signs in with your AF Provisioner session: sign in first.',
  },
  /** Kubernetes verbs and resources are the API's names, in every language. */
  rbac: {
    rule: '{{verbs}} on {{resources}}{{groups}}',
    binding: '{{role}} → {{subject}}',
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
