/**
 * The other scripts in bench/ join `npm run bench` when they can report JSON: a script that
 * accepts `--json` is run with it, and its last line of output is read as its result. The rest
 * print reports for people; they are listed, with how to run them, but not run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const CANDIDATES = [
	'optimize-speed.ts',
	'convert-speed.ts',
	'monitor-overhead.ts',
	'train-epoch.ts'
];
/** Each extra script gets at most this long. */
const EXTRA_TIMEOUT_MS = 120_000;

export interface ExtraResult {
	script: string;
	included: boolean;
	note: string;
	result?: unknown;
}

export async function extraBenches(
	root: string,
	log: (message: string) => void
): Promise<ExtraResult[]> {
	const out: ExtraResult[] = [];
	for (const script of CANDIDATES) {
		const path = join(root, 'bench', script);
		if (!existsSync(path)) continue;
		if (!readFileSync(path, 'utf8').includes('--json')) {
			out.push({ script, included: false, note: 'prints a text report; run it with npx tsx' });
			continue;
		}
		log(`running bench/${script} --json`);
		try {
			const output = execFileSync('npx', ['tsx', path, '--json'], {
				cwd: root,
				encoding: 'utf8',
				timeout: EXTRA_TIMEOUT_MS,
				stdio: ['ignore', 'pipe', 'inherit']
			});
			const last = output.trim().split('\n').at(-1) ?? '';
			out.push({ script, included: true, note: 'JSON result', result: JSON.parse(last) });
		} catch (error) {
			out.push({
				script,
				included: false,
				note: `failed: ${(error as Error).message.split('\n')[0]}`
			});
		}
	}
	return out;
}
