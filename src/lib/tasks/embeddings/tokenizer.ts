/**
 * Loads a variant's tokenizer with transformers.js's AutoTokenizer from the files in the model
 * store, never from the network: transformers.js looks files up in a custom cache first, and
 * Hearth's cache answers from the store. The library is imported on first use, so the other
 * tasks' worker code does not carry its 1 MB.
 */
import type { PreTrainedTokenizer } from '@huggingface/transformers';
import type { ModelFile } from '$lib/catalog/manifest';
import { errorMessage } from '$lib/errors';
import { TokenizerError } from './errors';

/** The made-up local path transformers.js asks for: <prefix><model name>/<file>. */
const STORE_PREFIX = '/hearth-model-store/';

interface TokenizerSource {
	files: readonly ModelFile[];
	readFile(path: string): Promise<Uint8Array>;
}

const sources = new Map<string, TokenizerSource>();
let configured: Promise<typeof import('@huggingface/transformers')> | null = null;

function transformers() {
	configured ??= import('@huggingface/transformers').then((library) => {
		const { env } = library;
		env.allowRemoteModels = false;
		env.allowLocalModels = true;
		env.localModelPath = STORE_PREFIX;
		env.useBrowserCache = false;
		env.useFSCache = false;
		env.useCustomCache = true;
		env.customCache = {
			match: async (request: string) => answerFromStore(request),
			// Nothing to keep: the files already live in the model store.
			put: async () => undefined
		};
		return library;
	});
	return configured;
}

async function answerFromStore(request: string): Promise<Response | undefined> {
	const path = new URL(request, 'http://local').pathname;
	if (!path.startsWith(STORE_PREFIX)) return undefined;
	const rest = decodeURIComponent(path.slice(STORE_PREFIX.length));
	const slash = rest.lastIndexOf('/');
	const source = sources.get(rest.slice(0, slash));
	const name = rest.slice(slash + 1);
	const file = source?.files.find((candidate) => candidate.path.split('/').pop() === name);
	if (!source || !file) return undefined;
	return new Response(new Uint8Array(await source.readFile(file.path)));
}

/** `name` identifies the variant (its install key); files come from `source`. */
export async function loadTokenizer(
	name: string,
	source: TokenizerSource
): Promise<PreTrainedTokenizer> {
	if (!source.files.some((file) => file.path.split('/').pop() === 'tokenizer.json')) {
		throw new TokenizerError('the model has no tokenizer.json');
	}
	const { AutoTokenizer } = await transformers();
	sources.set(name, source);
	try {
		return await AutoTokenizer.from_pretrained(name);
	} catch (error) {
		throw new TokenizerError(errorMessage(error));
	}
}
