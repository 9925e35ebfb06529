/**
 * The install icons the web app manifest names, drawn from static/favicon.svg so the logo has
 * one source: 192 and 512 px, and a 512 px "maskable" one with the safe-zone padding Android
 * crops into circles and squircles. Written to static/icons/ (a build output), cached.
 */
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	readJsonIfPresent,
	sha256File,
	sha256Hex,
	writeFileAtomic,
	writeJsonAtomic
} from '../models/files';
import { CACHE_DIR, REPO_ROOT } from '../models/paths';
import { sourceClosureHash } from '../models/source-hash';

const SOURCE = join(REPO_ROOT, 'static', 'favicon.svg');
export const ICONS_DIR = join(REPO_ROOT, 'static', 'icons');
const STAMP = join(CACHE_DIR, 'app-icons.json');
/** The manifest's theme colour, also the maskable icon's background. */
export const THEME_COLOUR = '#a63c24';

const ICONS = [
	{ name: 'icon-192.png', size: 192, padding: 0 },
	{ name: 'icon-512.png', size: 512, padding: 0 },
	// Maskable icons must keep their content inside the central 80% circle.
	{ name: 'icon-maskable-512.png', size: 512, padding: 0.12 }
];

export async function buildAppIcons(): Promise<{ cached: boolean }> {
	const svg = readFileSync(SOURCE);
	const key = sha256Hex(
		JSON.stringify({ svg: sha256Hex(svg), code: await sourceClosureHash([import.meta.url]) })
	);
	const stamp = (await readJsonIfPresent(STAMP)) as
		{ key: string; sha256: Record<string, string> } | undefined;
	if (stamp?.key === key) {
		const intact = await Promise.all(
			ICONS.map(
				async (icon) =>
					(await sha256File(join(ICONS_DIR, icon.name)).catch(() => null)) ===
					stamp.sha256[icon.name]
			)
		);
		if (intact.every(Boolean)) return { cached: true };
	}
	const image = await loadImage(svg);
	const hashes: Record<string, string> = {};
	for (const icon of ICONS) {
		const canvas = createCanvas(icon.size, icon.size);
		const context = canvas.getContext('2d');
		if (icon.padding > 0) {
			context.fillStyle = THEME_COLOUR;
			context.fillRect(0, 0, icon.size, icon.size);
		}
		const inset = Math.round(icon.size * icon.padding);
		context.drawImage(image, inset, inset, icon.size - 2 * inset, icon.size - 2 * inset);
		const png = canvas.toBuffer('image/png');
		await writeFileAtomic(join(ICONS_DIR, icon.name), png);
		hashes[icon.name] = sha256Hex(png);
	}
	await writeJsonAtomic(STAMP, { key, sha256: hashes });
	return { cached: false };
}
