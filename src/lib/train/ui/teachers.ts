/**
 * Teachers for knowledge distillation: any stored classifier whose graph takes the same feature
 * rows as the data (784 pixels, or the embedder's vectors) and gives one score per class. Its
 * logits come from the runtime worker, in batches; a teacher whose classes differ from the
 * data's is refused with both lists named.
 */
import type { ModelFile, ModelManifest } from '$lib/catalog/manifest';
import { getRuntime } from '$lib/runtime';
import type { TensorData } from '$lib/runtime';
import { listInstalls, readInstalledText } from '$lib/store';
import { TeacherMismatchError } from '../errors';

export interface TeacherOption {
	installKey: string;
	label: string;
	file: ModelFile;
	inputName: string;
	/** The class names the teacher declares (a labels file, or the ten digits); null if unknown. */
	classNames: string[] | null;
}

function classNamesOf(manifest: ModelManifest, files: readonly ModelFile[], key: string) {
	const labels = files.find((file) => file.role === 'labels');
	if (labels) {
		return readInstalledText(key, labels.path).then(
			(text) => (JSON.parse(text) as { classNames?: string[] }).classNames ?? null,
			() => null
		);
	}
	return Promise.resolve(
		manifest.task === 'digits' ? Array.from({ length: 10 }, (_, d) => String(d)) : null
	);
}

/** Every stored graph that takes [batch, featureSize] float32 rows: a possible teacher. */
export async function listTeachers(featureSize: number): Promise<TeacherOption[]> {
	const options: TeacherOption[] = [];
	for (const { record } of await listInstalls()) {
		if (!record.complete) continue;
		const variant = record.manifest.variants.find((v) => v.id === record.variantId);
		for (const file of variant?.files ?? []) {
			const input = file.graph?.inputs;
			if (!input || input.length !== 1 || !file.graph?.outputs.length) continue;
			const [spec] = input;
			if (spec!.dtype !== 'float32' || spec!.dims.length !== 2 || spec!.dims[1] !== featureSize)
				continue;
			options.push({
				installKey: record.key,
				label: `${record.manifest.name} · ${variant!.name}`,
				file,
				inputName: spec!.name,
				classNames: await classNamesOf(record.manifest, variant!.files, record.key)
			});
		}
	}
	return options;
}

const BATCH = 512;

function logitsFrom(outputs: Record<string, TensorData>): {
	values: Float32Array;
	classes: number;
} {
	// Softmax of log-probabilities is the same distribution, so probabilities serve as well.
	const chosen = outputs.logits ?? outputs.probabilities ?? Object.values(outputs)[0];
	if (!chosen || !(chosen.data instanceof Float32Array) || chosen.dims.length !== 2) {
		throw new TeacherMismatchError('it gives no [batch, classes] float32 scores');
	}
	const classes = chosen.dims[1] as number;
	const fromProbabilities = !outputs.logits && chosen === outputs.probabilities;
	const values = fromProbabilities
		? chosen.data.map((p) => Math.log(Math.max(p, 1e-30)))
		: chosen.data;
	return { values, classes };
}

/** The teacher's logits for every row, columns in the data's class order. */
export async function teacherLogits(
	teacher: TeacherOption,
	features: Float32Array,
	featureSize: number,
	classNames: readonly string[],
	status: (message: string) => void
): Promise<Float32Array> {
	const known = teacher.classNames;
	let order: number[] | null = null;
	if (known) {
		const same =
			known.length === classNames.length && classNames.every((name) => known.includes(name));
		if (!same) {
			throw new TeacherMismatchError(
				`its classes are ${known.join(', ')}; the data's are ${classNames.join(', ')}`
			);
		}
		order = classNames.map((name) => known.indexOf(name));
	}
	const runtime = getRuntime();
	const session = await runtime.load(teacher.installKey, teacher.file.path, 'auto');
	const rows = features.length / featureSize;
	const result = new Float32Array(rows * classNames.length);
	for (let start = 0; start < rows; start += BATCH) {
		status(
			`Asking the teacher: ${start.toLocaleString('en-US')} of ${rows.toLocaleString('en-US')} examples…`
		);
		const count = Math.min(BATCH, rows - start);
		const data = features.slice(start * featureSize, (start + count) * featureSize);
		const run = await runtime.run(session.sessionId, {
			[teacher.inputName]: { dtype: 'float32', dims: [count, featureSize], data }
		});
		const { values, classes } = logitsFrom(run.outputs);
		if (classes !== classNames.length) {
			throw new TeacherMismatchError(
				`it gives ${classes} scores per example, but the data has ${classNames.length} classes`
			);
		}
		for (let row = 0; row < count; row++) {
			for (let c = 0; c < classes; c++) {
				const from = order ? (order[c] as number) : c;
				result[(start + row) * classes + c] = values[row * classes + from] as number;
			}
		}
	}
	return result;
}
