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
  /** What IM's Kubernetes connector does differently (mapped) or cannot do (refused): the capability check's reasons. */
  im: {
    kubeOnly: "{{purpose}}, which IM's Kubernetes connector cannot create",
    namespace:
      "IM creates the namespace and labels what it creates its own way; the app's labels and ApplySet membership are not set, so the environment is followed through IM",
    secretNotCreated:
      "not created: IM's connector creates no Secret of its own; its generated values are written where the containers use them",
    networkPolicy:
      "not created: IM's connector creates no NetworkPolicy, so only the policies of the namespace IM uses (if the site set any) isolate this environment",
    resourceQuota: "not created: IM's connector creates no ResourceQuota; requests equal limits on every container it makes",
    limitRange: "not created: IM's connector creates no LimitRange",
    podSecurity:
      "IM's connector sets no security context and no Pod Security label: containers run as their image's user with the runtime's default capabilities, not as the kube target runs them (non-root 1000, no capabilities, RuntimeDefault seccomp, read-only root)",
    zeroReplicas: '0 replicas: no container is created',
    replicas:
      "{{count}} replicas become {{count}} separate containers ({{first}} … {{last}}): IM's connector runs one replica per container",
    nameTooLong: 'the name is too long for IM, which appends its own id (at most {{max}} characters)',
    statefulSet: "becomes a Deployment with its own volumes: IM's connector creates Deployments only",
    serviceAccount: 'runs as ServiceAccount "{{account}}", which IM\'s Kubernetes connector cannot set',
    workingDir: "needs working directory {{dir}}, which IM's Kubernetes connector cannot set",
    argsOnly: "gives arguments to the image's own entrypoint; IM's connector can only set a full command",
    probes: "IM's connector sets no readiness or liveness probe: the container counts as up as soon as it runs",
    securityContext: "IM's connector runs the container as the image's own user: {{fields}} not applied",
    recreate: "IM's connector uses the default rolling update, not Recreate",
    pullPolicy: "IM's connector always pulls the image (imagePullPolicy {{policy}} not applied)",
    noResources: "IM's Kubernetes connector needs a CPU and a memory size for every container; this one sets none",
    requestsEqualLimits: "IM's connector sets requests equal to limits: each replica requests cpu {{cpu}} and memory {{memory}}",
    ephemeralStorage: "IM's connector sets no ephemeral-storage",
    servicesMerged_one: 'Service {{services}} becomes one Service named after the container (IM makes one per container)',
    servicesMerged_other: 'Services {{services}} become one Service named after the container (IM makes one per container)',
    servicePort: "port {{port}}: the Service listens on {{listens}}, not {{asked}} (IM's Service uses the container port)",
    publishedAll_one:
      'IM publishes every port of a container once one is published: {{ports}} is reachable from outside the cluster too, as NodePort',
    publishedAll_other:
      'IM publishes every port of a container once one is published: {{ports}} are reachable from outside the cluster too, as NodePorts',
    ingressPorts: "exposes {{count}} ports by ingress; IM's connector routes an Ingress to the first published port only",
    noIngressDomain: 'port {{ports}} is published as a NodePort: no ingress domain was given',
    storageClass: "volume {{volume}}: storage class {{storageClass}} is not set; IM's connector uses the cluster's default",
    accessMode: "volume {{volume}} needs {{mode}}; IM's connector creates ReadWriteOnce volumes only",
    subPath: "volume {{volume}} is mounted by subPath, which IM's connector cannot do",
    dependsOn:
      'starts without waiting for {{components}}: IM would give a container the image and files of a container it depends on, so no dependency is written (it retries until they answer)',
    linkClusterOnly: 'reachable only inside the cluster: IM publishes no port of this container, and IM users have no port-forward',
    linkNoAddress: "has no address from IM: IM lists the Ingress's host in the place of this port's node port",
    envField: "environment variable {{variable}} reads the pod's {{field}}, which IM's connector cannot pass",
    envOwnAddress:
      "environment variable {{variable}} needs the container's own address, which IM cannot give (it works out an address by building that container)",
    envLoop:
      "environment variable {{variable}} needs {{other}}'s address while {{other}} needs {{component}}'s: IM works out an address by building that container, so two containers that need each other's address cannot be expressed",
    envMissingPort: "environment variable {{variable}} needs port {{port}} of {{other}}, which IM's connector does not create",
    envPublished:
      "environment variable {{variable}} needs {{other}}'s address, but {{other}} publishes {{ports}} and IM 2.0.0 cannot give other containers the address of a published container (it refuses the document: \"cannot access local variable 'vm'\")",
    envReplicas:
      'environment variable {{variable}} needs one address for {{other}}, but IM gives each of its {{count}} replicas its own Service',
    envQuotes: "environment variable {{variable}} holds quotes or line breaks, which IM's connector cannot pass",
    envInlined_one:
      "{{variables}} takes its generated secret value written into the TOSCA document and the Deployment: IM's connector cannot reference a Secret",
    envInlined_other:
      "{{variables}} take their generated secret value written into the TOSCA document and the Deployment: IM's connector cannot reference a Secret",
    fileSecret: 'file {{path}} holds secret {{secret}}: IM creates its own Secret from the value written into the TOSCA document',
    fileBase64: "file {{path}} becomes a Secret instead of a ConfigMap (its text looks like base64 to IM); the file's text is unchanged",
    fileMode: "file {{path}}: mode {{mode}} is not applied by IM's connector",
    fileConfigMaps_one:
      "{{count}} file becomes {{count}} ConfigMap of one key each, mounted by subPath (IM's connector holds one key per ConfigMap)",
    fileConfigMaps_other:
      "{{count}} files become {{count}} ConfigMaps of one key each, mounted by subPath (IM's connector holds one key per ConfigMap)",
  },
  /** Messages joined into one (sayList), each part keeping its own words. */
  list: {
    semicolon: '{{first}}; {{rest}}',
    comma: '{{first}}, {{rest}}',
  },
  /** A deploy, update or delete as it happens on a kubeconfig context: the Deploy page's lines and its outcome. */
  deploy: {
    deleting: 'Deleting environment {{environment}} in namespace {{namespace}} on {{server}}…',
    applying: 'Applying {{objects}} objects in {{waves}} waves to {{server}} (context {{context}})',
    wave: 'Wave {{wave}}/{{waves}}: {{applied}}/{{total}} applied',
    applied: '{{object}} applied',
    failed: '{{object}} failed',
    retrying: '{{object}}: attempt {{attempt}} failed ({{problem}}); retrying in {{seconds}} s',
    takingOver: '{{object}}: taking over {{fields}}, as asked',
    fieldFrom: '{{field}} from "{{manager}}"',
    pruning: 'Removing what left the plan…',
    pruned: '{{object}} pruned (no longer in the plan)',
    allApplied: 'All {{count}} objects applied.',
    waitingForPods: 'Waiting for the pods to be ready…',
    ready: 'Ready: {{readiness}}.',
    watchRetrying: '{{problem}} (retrying)',
    workload: '{{object}}: {{ready}}/{{desired}} ready',
    notReadyCancelled: 'Stopped waiting; every object was applied. Not ready yet: {{readiness}}',
    notReadyTimeout: 'Not ready after {{duration}}: {{readiness}}',
    namespaceGone: 'Namespace {{namespace}} is gone.',
    namespaceDeleting: 'Namespace {{namespace}} is being deleted…',
    namespaceTerminating: 'Namespace {{namespace}} is terminating',
    namespaceTerminatingLeft: 'Namespace {{namespace}} is terminating: {{left}}',
    deletingMembers: 'Deleting {{count}} objects of the environment in namespace {{namespace}}…',
    membersGone: 'Every object of the environment in namespace {{namespace}} is gone.',
    stoppedDeleting: 'Stopped waiting; the cluster goes on deleting.',
  },
  /** A pod on its way to ready. `{{detail}}` is empty or ": " and Kubernetes' own words; `{{again}}` empty or `podReason.restarted`. */
  pod: {
    pending: '{{pod}}: waiting to be scheduled',
    unschedulable: '{{pod}}: cannot be scheduled: {{why}}',
    noNodeFits: 'no node fits',
    scheduled: '{{pod}}: scheduled',
    scheduledOn: '{{pod}}: scheduled on {{node}}',
    pulling: '{{pod}}: pulling its image',
    pullingWhat: '{{pod}}: pulling its image ({{detail}})',
    running: '{{pod}}: running, not ready yet',
    ready: '{{pod}}: ready',
    waiting: '{{pod}}: {{reason}}',
    failed: '{{pod}}: failed',
    failedWhy: '{{pod}}: failed: {{reason}}',
    removed: '{{pod}}: removed',
    /** Pending is the pod's phase as Kubernetes names it. */
    pendingWhy: '{{pod}}: Pending: {{why}}',
    pendingOnly: '{{pod}}: Pending',
  },
  podReason: {
    errImagePull: 'cannot pull its image{{detail}}',
    imagePullBackOff: 'cannot pull its image; Kubernetes keeps retrying with back-off{{detail}}',
    invalidImageName: 'its image name is not valid{{detail}}',
    crashLoopBackOff: 'keeps crashing{{again}}; Kubernetes waits longer before each restart{{detail}}',
    createContainerConfigError: 'its container settings cannot be used (a missing Secret or ConfigMap key?){{detail}}',
    createContainerError: 'its container could not be created{{detail}}',
    oomKilled: 'ran out of memory and was stopped{{again}}',
    error: 'exited with an error{{again}}{{detail}}',
    other: '{{reason}}{{detail}}{{again}}',
    restarted_one: ' (restarted {{count}} time)',
    restarted_other: ' (restarted {{count}} times)',
  },
  /** What a deploy still waits for, or that every workload is ready. */
  readiness: {
    one: '1 workload ready',
    both: 'both workloads ready',
    all: 'all {{count}} workloads ready',
    notSeen: 'not yet seen the workloads',
    workload: '{{name}}: {{ready}}/{{desired}} ready',
    workloadWaiting: '{{name}}: {{ready}}/{{desired}} ready ({{waiting}})',
  },
  rollout: {
    stalled: 'stalled: {{why}}',
    controller: 'waiting for its controller',
    updated: '{{updated}}/{{desired}} updated',
    oldPods_one: '{{count}} old pod stopping',
    oldPods_other: '{{count}} old pods stopping',
    rollingOut: 'rolling out',
    stopping_one: '{{count}} pod stopping',
    stopping_other: '{{count}} pods stopping',
  },
  /** Why a link could not be opened through a port-forward. */
  link: {
    serviceGone: 'The Service for this link is not in {{namespace}} (any more).',
    noPort: 'Service {{service}} has no port {{port}}.',
    noReadyPod: 'No Ready pod behind Service {{service}} in {{namespace}} yet.',
    noContainerPort: 'Pod {{pod}} has no container port named "{{port}}".',
    forwardFailed: 'Port-forward to {{pod}}:{{port}}: {{why}}',
    apiCannotOpen:
      "port-forward to Service {{service}} in {{namespace}}: the API server could not open it to pod {{pod}} (HTTP {{status}}{{said}}). Port-forwards pass through the node's kubelet, which the API server must be able to reach.",
  },
  /** What was changed outside the app (drift), field by field. */
  drift: {
    deleted: '{{object}} was deleted outside the app',
    changed: '{{object}}: {{field}} is {{found}}, expected {{expected}} (changed by {{manager}})',
    someone: 'someone',
  },
  /** An environment's live status (Environments list, Environment page, afp status). */
  status: {
    starting: 'Starting…',
    deletionRequested: 'Deletion requested; the cluster is removing the objects.',
    deleted: 'Deleted.',
    appliedWaiting: 'Every object applied; waiting for the pods.',
    failedNothing: 'Deploy failed before anything was created.',
    failedNothingWhy: 'Deploy failed before anything was created: {{why}}',
    cancelledNothing: 'Deploy cancelled before anything was created.',
    cancelledNothingWhy: 'Deploy cancelled before anything was created: {{why}}',
    unreachable: 'Cluster unreachable since {{since}}',
    unreachableWhy: 'Cluster unreachable since {{since}}: {{why}}',
    namespaceGone: 'Namespace {{namespace}} is gone.',
    creatingNamespace: 'Creating namespace {{namespace}}…',
    goneOutside: 'Namespace {{namespace}} was deleted outside the app.',
    deletingNamespace: 'Deleting namespace {{namespace}}…',
    deletingOutside: 'Namespace {{namespace}} is being deleted outside the app.',
    deleting: 'Deleting {{namespace}}…',
    podsReady: '{{ready}}/{{total}} pods ready',
    podsStarting: '{{progress}}; starting: {{pods}}',
    podsStartingMore: '{{progress}}; starting: {{pods}} and {{more}} more',
    andMore: '{{problem}} (and {{count}} more)',
    drifted: 'Changed outside the app: {{change}}. Restore re-applies the recorded plan.',
    driftedMore_one: 'Changed outside the app: {{change}} (and {{count}} more change). Restore re-applies the recorded plan.',
    driftedMore_other: 'Changed outside the app: {{change}} (and {{count}} more changes). Restore re-applies the recorded plan.',
    failedNow: '{{failure}} Now: {{now}}',
    lastFailed: {
      deploy: 'The last deploy failed.',
      update: 'The last update failed.',
      delete: 'The last delete failed.',
    },
    interrupted: {
      deploy: 'The last deploy was interrupted; resume it.',
      update: 'The last update was interrupted; resume it.',
      delete: 'The last delete was interrupted; resume it.',
    },
    interruptedNow: '{{interrupted}} {{now}}',
    podProblem: '{{pod}}: {{problem}}',
    workloadMissing: '{{object}} is missing (deleted outside the app).',
    workloadStalled: '{{object}}: {{why}}',
    workloadNotReady: '{{object}}: {{ready}}/{{desired}} ready.',
    /** A container's reason as Kubernetes names it; `{{detail}}` is empty or " — " and its message. */
    containerProblem: '{{reason}}{{detail}}{{again}}.',
    podFailed: 'failed{{reason}}{{detail}}.',
    cannotSchedule: 'cannot be scheduled: {{why}}',
    cannotScheduleEvicted: 'cannot be scheduled: {{why}} It replaces {{evicted}}, evicted from node {{node}}, which is cordoned.',
  },
  profileSource: {
    cli: '--profile',
    settings: 'Settings',
    env: 'the AFP_PROFILE environment variable',
    system: 'the system-wide location',
  },
} as const;
