/** Steps on the Models page that many end-to-end tests share. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import type { Catalog } from '../../src/lib/catalog/manifest';
import { expect } from './fixtures';
import type { TestFileServer } from './file-server';
import { SUB_PATH_BUILD_DIR } from './workspace';

export function readCatalog(buildDir = SUB_PATH_BUILD_DIR): Catalog {
	return JSON.parse(readFileSync(resolve(buildDir, 'models/catalog.json'), 'utf8')) as Catalog;
}

export async function openModelsPage(page: Page, site: TestFileServer): Promise<void> {
	await page.goto(site.url('/models'));
	await expect(page.getByTestId('environment')).toContainText('ONNX Runtime');
}

export function variantRow(page: Page, modelId: string, variantId: string) {
	return page.getByTestId(`variant-${modelId}-${variantId}`);
}

export async function download(page: Page, modelId: string, variantId: string): Promise<void> {
	const row = variantRow(page, modelId, variantId);
	await row.getByRole('button', { name: /^Download / }).click();
	await expect(row).toHaveAttribute('data-state', 'ready', { timeout: 90_000 });
}

export interface StoredCounts {
	installs: number;
	files: number;
	chunks: number;
}

/** Counts what Hearth's IndexedDB holds, without creating the database if it does not exist. */
export function storedCounts(page: Page): Promise<StoredCounts> {
	return page.evaluate(async () => {
		const empty = { installs: 0, files: 0, chunks: 0 };
		const databases = await indexedDB.databases();
		if (!databases.some((database) => database.name === 'hearth')) return empty;
		return new Promise<StoredCounts>((resolve, reject) => {
			const request = indexedDB.open('hearth');
			request.onerror = () => reject(request.error);
			request.onsuccess = () => {
				const db = request.result;
				const names = (['installs', 'files', 'chunks'] as const).filter((name) =>
					db.objectStoreNames.contains(name)
				);
				const counts = { ...empty };
				if (names.length === 0) return resolve(counts);
				const tx = db.transaction(names, 'readonly');
				for (const name of names) {
					const count = tx.objectStore(name).count();
					count.onsuccess = () => (counts[name] = count.result);
				}
				tx.oncomplete = () => {
					db.close();
					resolve(counts);
				};
			};
		});
	});
}

/** Bytes stored so far for one file of an install, read straight from IndexedDB. */
export function storedFileBytes(page: Page, installKey: string, path: string): Promise<number> {
	return page.evaluate(
		([key, filePath]) =>
			new Promise<number>((resolve, reject) => {
				const request = indexedDB.open('hearth');
				request.onerror = () => reject(request.error);
				request.onsuccess = () => {
					const db = request.result;
					const get = db.transaction('files').objectStore('files').get([key, filePath]);
					get.onsuccess = () => {
						db.close();
						resolve((get.result as { storedBytes?: number } | undefined)?.storedBytes ?? 0);
					};
				};
			}),
		[installKey, path] as const
	);
}
