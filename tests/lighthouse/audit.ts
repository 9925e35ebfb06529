/**
 * Lighthouse on every prerendered page of the sub-path build: accessibility and best practices must each
 * score at least 95. Prints the failing audits when a page falls short, and exits non-zero.
 */
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { resolve } from 'node:path';
import { readdirSync } from 'node:fs';
import { CHROMIUM_ARGS, CHROMIUM_PATH, SUB_PATH } from '../support/chromium';
import { TestFileServer } from '../support/file-server';
import { SUB_PATH_BUILD_DIR } from '../support/workspace';
import { TEST_SECURITY } from '../support/site-security';

const MIN_SCORE = 0.95;
const CATEGORIES = ['accessibility', 'best-practices'] as const;

const server = new TestFileServer(resolve(SUB_PATH_BUILD_DIR), SUB_PATH);
server.security = TEST_SECURITY;
await server.start();
const chrome = await chromeLauncher.launch({
	chromePath: CHROMIUM_PATH,
	chromeFlags: ['--headless=new', ...CHROMIUM_ARGS]
});
/** Every prerendered page of the build: index.html is "/", run/digits.html is "/run/digits". */
const pages = readdirSync(SUB_PATH_BUILD_DIR, { recursive: true, encoding: 'utf8' })
	.filter((file) => file.endsWith('.html'))
	.map(
		(file) =>
			`/${file
				.replace(/\\/g, '/')
				.replace(/(^|\/)index\.html$/, '')
				.replace(/\.html$/, '')}`
	)
	.sort();

let failed = false;
try {
	for (const path of pages) {
		const url = server.url(path);
		const result = await lighthouse(url, {
			port: chrome.port,
			onlyCategories: [...CATEGORIES],
			logLevel: 'error',
			output: 'json'
		});
		if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
		const { categories, audits } = result.lhr;
		const scores = CATEGORIES.map(
			(id) => `${id} ${Math.round((categories[id]?.score ?? 0) * 100)}`
		);
		console.log(`${path.padEnd(14)} ${scores.join('  ')}`);
		for (const id of CATEGORIES) {
			const category = categories[id];
			if ((category?.score ?? 0) >= MIN_SCORE) continue;
			failed = true;
			for (const ref of category?.auditRefs ?? []) {
				const audit = audits[ref.id];
				if (ref.weight > 0 && audit && audit.score !== null && audit.score < 1) {
					console.log(`  ✗ ${id}: ${audit.title}`);
				}
			}
		}
	}
} finally {
	chrome.kill();
	await server.close();
}
if (failed) {
	console.error(`Some pages score under ${MIN_SCORE * 100}. Fix the audits listed above.`);
	process.exit(1);
}
