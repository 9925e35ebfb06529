import { loadCatalog } from '$lib/catalog/load';
import type { PageLoad } from './$types';

// Prerendered like every page; the widget reads its options from the query in the browser.
export const load: PageLoad = ({ fetch }) => loadCatalog(fetch);
