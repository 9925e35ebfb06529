import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The built runtime worker's file name. Several workers are named worker-*.js (runtime, training,
 * optimize, ...); the runtime's is the one that handles the 'register-memory-install' command.
 */
export function findRuntimeWorker(workersDir: string): string {
	const file = readdirSync(workersDir).find(
		(name) =>
			/^worker-.*\.js$/.test(name) &&
			readFileSync(join(workersDir, name), 'utf8').includes('register-memory-install')
	);
	if (!file) throw new Error(`No runtime worker in ${workersDir}: build the site first.`);
	return file;
}
