/**
 * Reads the TF.js model that nsfwjs ships inside JavaScript bundles (model.min.js holds
 * model.json as an object literal, group1-shardNofM.min.js a base64 string of the shard) without
 * running the package's code: a small parser reads the literal (unquoted keys, `!0`/`!1`, `.5`
 * numbers, as a minifier writes them) after the bundle's `exports=`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

class LiteralParser {
	private at: number;
	constructor(
		private readonly text: string,
		start: number
	) {
		this.at = start;
	}

	private fail(what: string): never {
		const near = this.text.slice(this.at, this.at + 40);
		throw new Error(`Cannot read the bundled model: ${what} at offset ${this.at} ("${near}")`);
	}

	private skipSpace(): void {
		while (/\s/.test(this.text[this.at] ?? '')) this.at++;
	}

	private expect(char: string): void {
		this.skipSpace();
		if (this.text[this.at] !== char) this.fail(`expected "${char}"`);
		this.at++;
	}

	value(): unknown {
		this.skipSpace();
		const char = this.text[this.at];
		if (char === '{') return this.object();
		if (char === '[') return this.array();
		if (char === '"') return this.string();
		if (char === '!') {
			// Minifiers write true as !0 and false as !1.
			const bit = this.text[this.at + 1];
			if (bit !== '0' && bit !== '1') this.fail('expected !0 or !1');
			this.at += 2;
			return bit === '0';
		}
		const word = /^(?:null|true|false|void 0)/.exec(this.text.slice(this.at, this.at + 6));
		if (word) {
			this.at += word[0].length;
			return word[0] === 'true' ? true : word[0] === 'false' ? false : null;
		}
		const number = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/i.exec(
			this.text.slice(this.at, this.at + 40)
		);
		if (!number) this.fail('expected a value');
		this.at += number[0].length;
		return Number(number[0]);
	}

	private string(): string {
		const start = this.at;
		this.at++;
		while (this.text[this.at] !== '"') {
			if (this.at >= this.text.length) this.fail('unterminated string');
			this.at += this.text[this.at] === '\\' ? 2 : 1;
		}
		this.at++;
		return JSON.parse(this.text.slice(start, this.at)) as string;
	}

	private key(): string {
		this.skipSpace();
		if (this.text[this.at] === '"') return this.string();
		const name = /^[A-Za-z_$][\w$]*|^\d+/.exec(this.text.slice(this.at, this.at + 200));
		if (!name) this.fail('expected a key');
		this.at += name[0].length;
		return name[0];
	}

	private object(): Record<string, unknown> {
		this.expect('{');
		const result: Record<string, unknown> = {};
		this.skipSpace();
		if (this.text[this.at] === '}') return (this.at++, result);
		for (;;) {
			const key = this.key();
			this.expect(':');
			result[key] = this.value();
			this.skipSpace();
			const next = this.text[this.at++];
			if (next === '}') return result;
			if (next !== ',') this.fail('expected "," or "}"');
		}
	}

	private array(): unknown[] {
		this.expect('[');
		const result: unknown[] = [];
		this.skipSpace();
		if (this.text[this.at] === ']') return (this.at++, result);
		for (;;) {
			result.push(this.value());
			this.skipSpace();
			const next = this.text[this.at++];
			if (next === ']') return result;
			if (next !== ',') this.fail('expected "," or "]"');
		}
	}
}

/** The value the bundle's single module exports: the first `.exports=` that is not the UMD's. */
export function bundledExport(source: string, what: string): unknown {
	const match = /\.exports=(?=[{"])/.exec(source);
	if (!match) throw new Error(`${what}: no exported literal found`);
	return new LiteralParser(source, match.index + match[0].length).value();
}

export interface BundledTfjsModel {
	modelJson: Record<string, unknown>;
	shards: Map<string, Uint8Array>;
}

/** model.json and its shards from an nsfwjs model folder (dist/models/<name>). */
export async function readBundledModel(folder: string): Promise<BundledTfjsModel> {
	const modelFile = join(folder, 'model.min.js');
	const modelJson = bundledExport(await readFile(modelFile, 'utf8'), modelFile);
	if (typeof modelJson !== 'object' || modelJson === null || !('weightsManifest' in modelJson))
		throw new Error(`${modelFile} does not export a TF.js model.json`);
	const manifest = (modelJson as { weightsManifest: { paths: string[] }[] }).weightsManifest;
	const shards = new Map<string, Uint8Array>();
	for (const path of manifest.flatMap((group) => group.paths)) {
		const shardFile = join(folder, `${path}.min.js`);
		const base64 = bundledExport(await readFile(shardFile, 'utf8'), shardFile);
		if (typeof base64 !== 'string') throw new Error(`${shardFile} does not export base64 text`);
		shards.set(path, new Uint8Array(Buffer.from(base64, 'base64')));
	}
	return { modelJson: modelJson as Record<string, unknown>, shards };
}
