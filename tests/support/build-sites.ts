/**
 * Builds the two sites the end-to-end tests serve: one for the root of a host (build/) and one
 * for a sub-path (build-sub/ under /hearth), because both must work. The models and ORT files
 * come from `npm run assets`, which `npm test` runs first.
 */
import { execFileSync } from 'node:child_process';
import { SUB_PATH } from './chromium';
import { TEST_SECURITY_ENV } from './site-security';
import { ROOT_BUILD_DIR, SUB_PATH_BUILD_DIR } from './workspace';

const builds = [
	{ dir: ROOT_BUILD_DIR, base: '' },
	{ dir: SUB_PATH_BUILD_DIR, base: SUB_PATH }
];

for (const { dir, base } of builds) {
	const started = Date.now();
	execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
		stdio: 'inherit',
		env: { ...process.env, ...TEST_SECURITY_ENV, BUILD_DIR: dir, BASE_PATH: base }
	});
	console.log(
		`built ${dir}/ for base "${base || '/'}" in ${((Date.now() - started) / 1000).toFixed(1)} s`
	);
}
