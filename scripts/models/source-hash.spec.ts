import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './paths';
import { localImportClosure, sourceClosureHash } from './source-hash';

describe('localImportClosure', () => {
	it("follows a builder's relative imports into src/lib", async () => {
		const closure = await localImportClosure([join(REPO_ROOT, 'scripts/models/mnist-mlp.ts')]);
		const files = closure.map((file) => relative(REPO_ROOT, file));
		expect(files).toContain('scripts/models/mnist-mlp.ts');
		expect(files).toContain('scripts/models/mnist/mnist-data.ts');
		expect(files).toContain('src/lib/train/mlp.ts');
		expect(files).toContain('src/lib/optimize/onnx-writer.ts');
		expect(files).toContain('src/lib/catalog/manifest.ts');
		expect(files).not.toContain('scripts/models/glove-embedder.ts');
	});

	it('changes the hash when an imported file changes', async () => {
		const folder = await mkdtemp(join(tmpdir(), 'source-hash-'));
		try {
			await writeFile(
				join(folder, 'entry.ts'),
				"import { x } from './helper';\nexport const y = x;\n"
			);
			await writeFile(join(folder, 'helper.ts'), 'export const x = 1;\n');
			const before = await sourceClosureHash([join(folder, 'entry.ts')]);
			expect(await sourceClosureHash([join(folder, 'entry.ts')])).toBe(before);
			await writeFile(join(folder, 'helper.ts'), 'export const x = 2;\n');
			expect(await sourceClosureHash([join(folder, 'entry.ts')])).not.toBe(before);
		} finally {
			await rm(folder, { recursive: true, force: true });
		}
	});

	it('fails loudly on an import it cannot resolve', async () => {
		const folder = await mkdtemp(join(tmpdir(), 'source-hash-'));
		try {
			await writeFile(join(folder, 'entry.ts'), "import './missing';\n");
			await expect(localImportClosure([join(folder, 'entry.ts')])).rejects.toThrow(
				/cannot resolve/
			);
		} finally {
			await rm(folder, { recursive: true, force: true });
		}
	});
});
