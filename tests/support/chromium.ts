/** How the tests start Debian's Chromium: no sandbox (root in CI) and no calls home. */
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

export const SUB_PATH = '/hearth';

export function assertChromiumInstalled(): void {
	if (!existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`The browser tests need Debian's Chromium at ${CHROMIUM_PATH}: run "sudo apt-get install chromium" (bash .ci/run does it for you).`
		);
	}
}
