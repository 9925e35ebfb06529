import { loadCatalog } from '$lib/catalog/load';
import type { LayoutLoad } from './$types';

export const load: LayoutLoad = ({ fetch }) => loadCatalog(fetch);
