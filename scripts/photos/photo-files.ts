/** Where the test photographs come from and where they are kept (see test-photos.ts). */
import { join } from 'node:path';
import { REPO_ROOT } from '../models/paths';

export const PHOTO_CACHE_DIR = join(REPO_ROOT, '.cache', 'photos');
export const DEBIAN_PHOTO_PACKAGE = 'python3-skimage';

export interface DebianPhoto {
	file: string;
	sha256: string;
	licence: string;
}

export const DEBIAN_PHOTOS: readonly DebianPhoto[] = [
	{
		file: 'astronaut.png',
		sha256: '88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5',
		licence: 'Eileen Collins, NASA Great Images: public domain'
	},
	{
		file: 'chelsea.png',
		sha256: '596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb',
		licence: 'Chelsea the cat: CC0, Stefan van der Walt'
	}
];
