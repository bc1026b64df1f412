import { loadCatalogue, type Catalogue, type CatalogueOptions } from '../catalogue/catalogue';

/**
 * The catalogue as the app holds it: loaded on first use, loaded again when
 * the site profile or a template folder changes.
 */
export class CatalogueService {
  private current: Promise<Catalogue> | undefined;

  constructor(private options: CatalogueOptions) {}

  get(): Promise<Catalogue> {
    this.current ??= loadCatalogue(this.options);
    return this.current;
  }

  reload(options: CatalogueOptions = this.options): void {
    this.options = options;
    this.current = undefined;
  }
}
