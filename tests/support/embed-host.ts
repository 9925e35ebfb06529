/**
 * Host pages for the widget's end-to-end tests: a loopback server on 127.0.0.1 (another site
 * than the widget's localhost, so the widget is a third-party frame), and the client connected
 * from the page, kept on `window.h`.
 */
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import type { HearthWidget } from '../../src/lib/embed/client';
import { TestFileServer } from './file-server';

export const HOST_DIR = resolve('tests/fixtures/embed-host');

export interface HostWindow {
	h: HearthWidget;
	progress: { phase: string; loadedBytes: number; totalBytes: number }[];
}

/** A server for host pages on 127.0.0.1 (its `origin` says localhost; the page must not). */
export async function hostServer(root = HOST_DIR, isolated = false) {
	const server = new TestFileServer(root);
	server.crossOriginIsolation = isolated;
	const port = new URL(await server.start()).port;
	return { server, origin: `http://127.0.0.1:${port}` };
}

export async function connect(
	page: Page,
	site: TestFileServer,
	options: Record<string, unknown> = {}
) {
	await page.evaluate(
		async ({ url, options }) => {
			const { Hearth } = await import(url);
			const host = window as unknown as HostWindow;
			host.progress = [];
			host.h = await Hearth.connect(document.getElementById('widget')!, {
				...options,
				onProgress: (p: HostWindow['progress'][number]) => host.progress.push(p)
			});
		},
		{ url: site.url('/embed/hearth-client.js'), options }
	);
}
