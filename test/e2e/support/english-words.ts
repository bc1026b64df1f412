/**
 * English words in text meant to be Italian: words of a short English list
 * that Italian never uses, minus the names the app keeps in any language.
 * Loanwords Italian writes unchanged (cluster, pod, worker, namespace,
 * password, token) are not on the list; their English plurals (pods,
 * workers) are, since Italian does not inflect them.
 */
const ENGLISH = new Set(
  `the and of to is are was be been for with without from into on at by this that these those it its
  which what when where who how why not no yes can cannot will would should must may
  has have had do does did done get got set use used using
  pods node nodes fit fits pending running ready failed environment environments
  choose change review deploy deploying deployed update updating delete deleting deleted cancel
  settings size workers users user memory home folder image each every all none
  needs closest free expected quantity such below above minimum maximum locked site profile comes
  variable location source capacity requests limits objects waves wave manifests export copy copied
  sign signed signin error errors try again loading preparing plan`.split(/\s+/),
);

/** Names, units and formats that stay as they are in Italian. */
export const ALLOWED = new Set(
  `JupyterHub Jupyter Dask MinIO Kubernetes kubeconfig YAML TOSCA CPU GiB MiB Gi Mi vCPU IM AF
  Provisioner Napoli Analysis Facility`.split(/\s+/),
);

export function englishWords(text: string): string[] {
  const found = new Set<string>();
  // A command of the CLI ("afp export") is a name, the same in any language; so is a name written as
  // code, joined by "_" or "/" (MINIO_ROOT_USER, the Secret key minio-root/user), which prose never is.
  const prose = text.replace(/\bafp [a-z][a-z-]*/g, ' ').replace(/[\w.-]*[_/][\w./-]*/g, ' ');
  for (const word of prose.match(/[A-Za-z][A-Za-z'’-]*/g) ?? []) {
    if (ALLOWED.has(word)) continue;
    if (ENGLISH.has(word.toLowerCase())) found.add(word);
  }
  return [...found].sort();
}
