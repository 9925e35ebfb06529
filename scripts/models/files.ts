/**
 * File helpers for the build step: hashing, and writes that are atomic (temp file + rename in
 * the same folder), so an interrupted build never leaves a half-written file under a final name.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
	copyFile,
	mkdir,
	readdir,
	readFile,
	rename,
	rm,
	stat,
	utimes,
	writeFile
} from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export function sha256Hex(data: Uint8Array | string): string {
	return createHash('sha256').update(data).digest('hex');
}

export async function sha256File(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

const TEMPORARY_NAME = /^\..+\.\d+\.tmp$/;

function temporaryPathFor(path: string): string {
	return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/** Deletes temporary files an interrupted run left in `folder` (a missing folder is fine). */
export async function removeTemporaryFiles(folder: string): Promise<void> {
	let entries: string[];
	try {
		entries = await readdir(folder);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
		throw error;
	}
	for (const entry of entries) {
		if (TEMPORARY_NAME.test(entry)) await rm(join(folder, entry), { force: true });
	}
}

async function replaceWith(temporary: string, path: string, write: () => Promise<void>) {
	try {
		await write();
		await rename(temporary, path);
	} catch (error) {
		await rm(temporary, { force: true });
		throw error;
	}
}

export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
	await mkdir(dirname(path), { recursive: true });
	const temporary = temporaryPathFor(path);
	await replaceWith(temporary, path, () => writeFile(temporary, data));
}

/** Writes JSON with tabs (as Prettier would) and a final newline. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
	await writeFileAtomic(path, `${JSON.stringify(value, null, '\t')}\n`);
}

/** Copies and keeps the source's modification time, so "same size and mtime" means "same file". */
export async function copyFileAtomic(source: string, path: string): Promise<void> {
	await mkdir(dirname(path), { recursive: true });
	const temporary = temporaryPathFor(path);
	const { atime, mtime } = await stat(source);
	await replaceWith(temporary, path, async () => {
		await copyFile(source, temporary);
		await utimes(temporary, atime, mtime);
	});
}

export async function readJsonIfPresent(path: string): Promise<unknown> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw error;
	}
	return JSON.parse(text) as unknown;
}
