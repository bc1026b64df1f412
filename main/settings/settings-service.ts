import { settingsSchema, type Settings, type SettingsPatch } from '../contract/settings';
import type { EventBus } from '../events';
import type { KeyValueStore } from '../store/key-value-store';

const DEFAULTS: Settings = { language: 'en', theme: 'system' };
const KEY = 'settings';

/** User preferences; a value that no longer parses falls back to the default for that field only. */
export class SettingsService {
  constructor(
    private readonly store: KeyValueStore,
    private readonly events: EventBus,
  ) {}

  get(): Settings {
    const stored = this.store.get(KEY);
    const merged = { ...DEFAULTS, ...(typeof stored === 'object' && stored !== null ? stored : {}) };
    const parsed = settingsSchema.safeParse(merged);
    if (parsed.success) return parsed.data;
    const out: Settings = { ...DEFAULTS };
    const language = settingsSchema.shape.language.safeParse((merged as Record<string, unknown>).language);
    if (language.success) out.language = language.data;
    const theme = settingsSchema.shape.theme.safeParse((merged as Record<string, unknown>).theme);
    if (theme.success) out.theme = theme.data;
    return out;
  }

  update(patch: SettingsPatch): Settings {
    const next = { ...this.get() };
    if (patch.language !== undefined) next.language = patch.language;
    if (patch.theme !== undefined) next.theme = patch.theme;
    this.store.set(KEY, next);
    this.events.emit({ type: 'settings.changed', settings: next });
    return next;
  }
}
