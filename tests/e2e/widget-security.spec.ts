/**
 * The widget's security in Chromium: malformed requests answer error codes, a disallowed origin
 * gets no answer (and is counted), a host not on the allow-list cannot frame the widget, the
 * static example host page works from another site that is itself cross-origin isolated, and
 * the headers (served, and written for static hosts) say what they should.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '../support/fixtures';
import { TestFileServer } from '../support/file-server';
import { connect, HOST_DIR, hostServer, type HostWindow } from '../support/embed-host';
import { SUB_PATH_BUILD_DIR } from '../support/workspace';

test('malformed requests answer error codes, and the widget keeps working', async ({
	page,
	site
}) => {
	const { server, origin } = await hostServer();
	try {
		await page.goto(`${origin}/`);
		await connect(page, site, { headless: true });
		const codes = await page.evaluate(async () => {
			const { h } = window as unknown as HostWindow;
			const code = (work: Promise<unknown>) =>
				work.then(
					() => 'no error',
					(error: { code: string }) => error.code
				);
			return {
				unknownMethod: await code(h.request('dance' as never)),
				noModel: await code(h.request('load', {} as never)),
				badBackend: await code(h.request('load', { model: 'mnist-mlp', backend: 'cuda' as never })),
				unknownModel: await code(h.load('nope')),
				unknownVariant: await code(h.load('mnist-mlp', { variant: 'int3' })),
				notAPicture: await code(h.run('a picture' as never, { model: 'mnist-mlp' })),
				wrongSize: await code(
					h.run(
						{ tensors: { pixels: { dtype: 'float32', dims: [1, 3], data: new Float32Array(2) } } },
						{ model: 'mnist-mlp' }
					)
				),
				missingInput: await code(
					h.run(
						{ tensors: { other: { dtype: 'float32', dims: [1], data: new Float32Array(1) } } },
						{ model: 'mnist-mlp' }
					)
				)
			};
		});
		expect(codes).toEqual({
			unknownMethod: 'unknown-method',
			noModel: 'bad-params',
			badBackend: 'bad-params',
			unknownModel: 'unknown-model',
			unknownVariant: 'unknown-variant',
			notAPicture: 'bad-params',
			wrongSize: 'bad-params',
			missingInput: 'bad-params'
		});

		// Raw messages the client would never send.
		const answers = await page.evaluate(
			async (widgetOrigin) => {
				const frame = document.querySelector('iframe')!.contentWindow!;
				const ask = (message: Record<string, unknown>) =>
					new Promise((resolve) => {
						const onMessage = (event: MessageEvent) => {
							if (event.source !== frame || event.data?.id !== (message.id ?? null)) return;
							removeEventListener('message', onMessage);
							resolve(event.data);
						};
						addEventListener('message', onMessage);
						frame.postMessage(message, widgetOrigin);
						setTimeout(() => resolve('no answer'), 5000);
					});
				return [
					await ask({ hearth: 2, id: 'v2', method: 'status' }),
					await ask({ hearth: 1, method: 'status' }),
					await ask({ hearth: 1, id: 'p', method: 'metrics', params: 'all' })
				];
			},
			new URL(site.url('/')).origin
		);
		expect(answers).toMatchObject([
			{ hearth: 1, id: 'v2', ok: false, error: { code: 'unsupported-version' } },
			{ hearth: 1, id: null, ok: false, error: { code: 'bad-request' } },
			{ hearth: 1, id: 'p', ok: false, error: { code: 'bad-params' } }
		]);
		const status = await page.evaluate(() => (window as unknown as HostWindow).h.status());
		expect(status.protocol).toBe(1);
	} finally {
		await server.close();
	}
});

test('a disallowed origin gets no answer and is counted', async ({ page, site }) => {
	const { server, origin } = await hostServer();
	const evil = new TestFileServer(HOST_DIR);
	const evilOrigin = await evil.start(); // http://localhost:<port>: not on the allow-list
	try {
		await page.goto(`${origin}/`);
		await connect(page, site);
		await page.evaluate((url) => {
			const frame = document.createElement('iframe');
			frame.src = url;
			frame.title = 'another site';
			document.body.append(frame);
			return new Promise((done) => frame.addEventListener('load', done));
		}, `${evilOrigin}/`);
		const intruder = page.frames().find((frame) => frame.url().startsWith(evilOrigin))!;
		const answered = await intruder.evaluate(async () => {
			let answers = 0;
			addEventListener('message', () => answers++);
			const widget = parent.frames[0]!;
			for (const method of ['status', 'listModels', 'metrics']) {
				widget.postMessage({ hearth: 1, id: method, method }, '*');
			}
			await new Promise((done) => setTimeout(done, 2000));
			return answers;
		});
		expect(answered).toBe(0);
		const status = await page.evaluate(() => (window as unknown as HostWindow).h.status());
		expect(status.ignoredMessages).toBe(3);
	} finally {
		await evil.close();
		await server.close();
	}
});

test('a host not on the allow-list cannot frame the widget', async ({ page, site, pageErrors }) => {
	const evil = new TestFileServer(HOST_DIR);
	const evilOrigin = await evil.start();
	try {
		await page.goto(`${evilOrigin}/`);
		const code = await page.evaluate(async (url) => {
			const { Hearth } = await import(url);
			return Hearth.connect(document.getElementById('widget')!, { connectTimeoutMs: 3000 }).then(
				() => 'connected',
				(error: { code: string }) => error.code
			);
		}, site.url('/embed/hearth-client.js'));
		expect(code).toBe('connect-timeout');
		// Chromium reports the refused frame; that is the point here, not a failure.
		const refused = pageErrors.filter((error) => error.includes('frame-ancestors'));
		expect(refused.length).toBeGreaterThan(0);
		pageErrors.splice(0, pageErrors.length, ...pageErrors.filter((e) => !refused.includes(e)));
	} finally {
		await evil.close();
	}
});

test('the static example works from another, cross-origin isolated site', async ({
	page,
	site
}) => {
	test.setTimeout(180_000);
	const { server, origin } = await hostServer(resolve(SUB_PATH_BUILD_DIR, 'embed'), true);
	try {
		const client = encodeURIComponent(site.url('/embed/'));
		await page.goto(`${origin}/example.html?hearth=${client}`);
		expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
		await expect(page.getByRole('status')).toContainText('Connected', { timeout: 30_000 });
		await page.getByRole('button', { name: 'Compare' }).click();
		const threads = await page.evaluate(() => navigator.hardwareConcurrency);
		// The isolated host lets the widget be isolated too: WebAssembly gets every core.
		await expect(page.getByRole('status')).toContainText(
			new RegExp(`Similarity: 0\\.\\d+ \\(wasm, ${threads} thread`),
			{ timeout: 90_000 }
		);
	} finally {
		await server.close();
	}
});

test('the site sends its security headers, and the build writes them for static hosts', async ({
	page,
	site
}) => {
	const widget = await page.request.get(site.url('/widget'));
	const policy = widget.headers()['content-security-policy']!;
	expect(policy).toContain("frame-ancestors 'self' http://127.0.0.1:*");
	expect(policy).toContain("default-src 'self'");
	expect(widget.headers()['cross-origin-resource-policy']).toBe('cross-origin');
	const models = await page.request.get(site.url('/models'));
	expect(models.headers()['content-security-policy']).not.toContain('frame-ancestors');
	expect(models.headers()['x-frame-options']).toBe('SAMEORIGIN');
	const client = await page.request.get(site.url('/embed/hearth-client.js'));
	expect(client.headers()['access-control-allow-origin']).toBe('*');
	const headersFile = readFileSync(resolve(SUB_PATH_BUILD_DIR, '_headers'), 'utf8');
	expect(headersFile).toContain('/hearth/widget\n');
	expect(headersFile).toContain(policy);
	// Every prerendered page carries the policy as <meta> too, with its start-up script's hash.
	await page.goto(site.url('/docs'));
	const meta = await page
		.locator('meta[http-equiv="content-security-policy"]')
		.getAttribute('content');
	expect(meta).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
});
