import { asset } from '$app/paths';
import { fetchCatalog } from './catalog';
import type { Catalog } from './manifest';

/** The catalog for a page's load function; prerendering embeds it in the page's HTML. */
export async function loadCatalog(fetcher: typeof fetch): Promise<{ catalog: Catalog }> {
	return { catalog: await fetchCatalog(fetcher, asset('/models/catalog.json')) };
}
