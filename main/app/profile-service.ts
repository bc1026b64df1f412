/**
 * The site profile in force while the app runs: resolved from its sources in
 * documented precedence, watched, and pushed to the catalogue. A broken edit
 * keeps the last good profile and says why.
 */
import type { ProfileView } from '../contract/profile';
import type { ApiErrorShape } from '../errors';
import { isAfpError, toApiError } from '../errors';
import type { EventBus } from '../events';
import type { Logger } from '../log';
import type { ActiveProfile } from '../site/active-profile';
import { profileSummaryMessage } from '../site/profile-load';
import { resolveProfile, sourceMessage, systemProfilePath, type ProfileSources } from '../site/profile-source';
import { watchProfile, type ProfileWatcher } from '../site/profile-watcher';
import type { KeyValueStore } from '../store/key-value-store';
import { problemsOf } from '../yaml/problems';
import { logoDataUrl } from '../site/logo';

const CHOSEN_KEY = 'profileFile';

export class ProfileService {
  private active: ActiveProfile | null = null;
  private problems: ApiErrorShape[] = [];
  private watcher: ProfileWatcher | undefined;
  private readonly listeners = new Set<(active: ActiveProfile | null) => void>();

  constructor(
    private readonly store: KeyValueStore,
    private readonly sources: Omit<ProfileSources, 'settings'>,
    private readonly events: EventBus,
    private readonly log: Logger,
  ) {}

  current(): ActiveProfile | null {
    return this.active;
  }

  onChange(listener: (active: ActiveProfile | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  chosenFile(): string | undefined {
    const value = this.store.get(CHOSEN_KEY);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }

  /** Resolves the profile again from every source (start-up, or a new file chosen in Settings). */
  async load(): Promise<ProfileView> {
    this.watcher?.dispose();
    this.watcher = undefined;
    try {
      this.set(await resolveProfile({ ...this.sources, settings: this.chosenFile() }), []);
    } catch (error) {
      // No last good profile to keep at start-up: the built-in catalogue serves, and Settings says why.
      this.set(null, isAfpError(error) ? problemsOf(error) : [toApiError(error)]);
    }
    if (this.active !== null) {
      this.watcher = watchProfile(this.active, {
        onChange: (active) => this.set(active, []),
        onError: (problems) => {
          this.log.warn(`site profile edit not used: ${problems[0]?.message ?? ''}`);
          this.problems = problems;
          this.events.emit({ type: 'profile.changed', profile: this.view() });
        },
      });
    }
    return this.view();
  }

  async choose(file: string | null): Promise<ProfileView> {
    if (file === null || file === '') this.store.delete(CHOSEN_KEY);
    else this.store.set(CHOSEN_KEY, file);
    return this.load();
  }

  view(): ProfileView {
    const chosen = this.chosenFile();
    const view: ProfileView = {
      problems: this.problems,
      systemPath: this.sources.systemPath ?? systemProfilePath(),
      chosenFile: chosen,
    };
    const active = this.active;
    if (active === null) return view;
    const { profile } = active;
    view.active = {
      file: active.file,
      source: active.source,
      sourceLabel: sourceMessage(active.source),
      siteName: profile.site.name,
      logo: logoDataUrl(profile.site.logo),
      supportUrl: profile.site.supportUrl,
      summary: profileSummaryMessage(active),
      lockedSettings: active.lockedSettings,
      targets: {
        ...(profile.targets?.dispatcher === undefined ? {} : { dispatcher: profile.targets.dispatcher.url }),
        ...(profile.targets?.im === undefined ? {} : { im: profile.targets.im.url }),
        ...(profile.targets?.kube?.contexts === undefined ? {} : { kubeContexts: profile.targets.kube.contexts }),
      },
      ...(profile.auth === undefined ? {} : { issuer: profile.auth.issuer }),
      hasCapacity: (profile.capacity?.nodes.length ?? 0) > 0,
    };
    return view;
  }

  dispose(): void {
    this.watcher?.dispose();
    this.listeners.clear();
  }

  private set(active: ActiveProfile | null, problems: ApiErrorShape[]): void {
    this.active = active;
    this.problems = problems;
    for (const listener of this.listeners) listener(active);
    this.events.emit({ type: 'profile.changed', profile: this.view() });
  }
}
