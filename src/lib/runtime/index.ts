import { base } from '$app/paths';
import { RuntimeClient } from './client';

export type * from './protocol';
export { RuntimeClient } from './client';

let shared: RuntimeClient | null = null;

/** The page's one runtime worker; ORT's files are served from the site's own /ort/ folder. */
export function getRuntime(): RuntimeClient {
	shared ??= new RuntimeClient(new URL(`${base}/ort/`, location.href).href);
	return shared;
}
