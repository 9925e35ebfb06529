/** What can stop a TensorFlow.js import, each with what the user can do about it. */
import { HearthError } from '../errors';

export class TfjsNotAModelError extends HearthError {
	constructor(source: string, why: string) {
		super(
			'convert-not-tfjs',
			`${source} is not a TensorFlow.js model: ${why}. Choose the model.json that tfjs's ` +
				'converter wrote (it has "modelTopology" and "weightsManifest"), with its .bin shards.'
		);
		this.name = 'TfjsNotAModelError';
	}
}

export class TfjsMissingShardError extends HearthError {
	readonly missing: string[];
	constructor(source: string, missing: string[]) {
		super(
			'convert-missing-shard',
			`${source} needs ${missing.length} weight shard${missing.length === 1 ? '' : 's'} that ` +
				`${missing.length === 1 ? 'was' : 'were'} not given: ${missing.join(', ')}. Add the ` +
				'files next to model.json (select them together, or drop the whole folder).'
		);
		this.name = 'TfjsMissingShardError';
		this.missing = missing;
	}
}

export class TfjsShardSizeError extends HearthError {
	constructor(source: string, paths: string[], expected: number, actual: number) {
		super(
			'convert-shard-size',
			`The weight shards ${paths.join(', ')} of ${source} hold ${actual.toLocaleString('en-US')} ` +
				`bytes, but model.json describes ${expected.toLocaleString('en-US')}. A shard is ` +
				'truncated or belongs to another model: download the shards again with their model.json.'
		);
		this.name = 'TfjsShardSizeError';
	}
}

export class TfjsUnsupportedWeightError extends HearthError {
	constructor(source: string, weight: string, dtype: string) {
		super(
			'convert-weight-dtype',
			`${source}: weight "${weight}" is stored as ${dtype}, which Hearth cannot convert yet ` +
				'(float32, int32, float16 and uint8/uint16-quantized weights are supported).'
		);
		this.name = 'TfjsUnsupportedWeightError';
	}
}

/** Every op or layer the converter cannot map, listed at once so the user sees the whole gap. */
export class TfjsUnsupportedOpsError extends HearthError {
	readonly unsupported: string[];
	constructor(source: string, kind: 'op' | 'layer', unsupported: string[]) {
		super(
			'convert-unsupported',
			`${source} uses ${unsupported.length} TensorFlow.js ${kind}${unsupported.length === 1 ? '' : 's'} ` +
				`Hearth cannot convert: ${unsupported.join(', ')}. ` +
				(kind === 'op'
					? 'If they are post-processing (NonMaxSuppression, control flow, TensorList), cut the ' +
						'graph at the named outputs before them and do that step in code.'
					: 'Rebuild the model with supported layers, or export it as a graph-model.')
		);
		this.name = 'TfjsUnsupportedOpsError';
		this.unsupported = unsupported;
	}
}

export class TfjsConversionError extends HearthError {
	constructor(source: string, where: string, why: string) {
		super(
			'convert-failed',
			`${source}: ${where} cannot be converted: ${why}. Cut the graph before it (choose ` +
				'earlier outputs) and do the rest in code.'
		);
		this.name = 'TfjsConversionError';
	}
}
