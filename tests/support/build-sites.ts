/**
 * Builds the two sites the end-to-end tests serve: one for the root of a host (build/) and one
 * for a sub-path (build-sub/ under /hearth), because both must work. The models and ORT files
 * come from `npm run assets`, which `npm test` runs first.
 */
import { execFileSync } from 'node:child_process';

const builds = [
	{ dir: 'build', base: '' },
	{ dir: 'build-sub', base: '/hearth' }
];

for (const { dir, base } of builds) {
	const started = Date.now();
	execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
		stdio: 'inherit',
		env: { ...process.env, BUILD_DIR: dir, BASE_PATH: base }
	});
	console.log(
		`built ${dir}/ for base "${base || '/'}" in ${((Date.now() - started) / 1000).toFixed(1)} s`
	);
}
