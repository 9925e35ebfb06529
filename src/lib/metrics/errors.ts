import { HearthError } from '$lib/errors';

/** One thing wrong in an import file, located so the user can find it. */
export interface ImportProblem {
	/** "row 3" for CSV (the header is row 1), "record 3" for JSON (counted from 1), or "file". */
	where: string;
	message: string;
}

const SHOWN_PROBLEMS = 5;

export class MetricsImportError extends HearthError {
	constructor(
		readonly fileName: string,
		readonly problems: ImportProblem[]
	) {
		const shown = problems
			.slice(0, SHOWN_PROBLEMS)
			.map((problem) => `${problem.where}: ${problem.message}`)
			.join('; ');
		const more =
			problems.length > SHOWN_PROBLEMS ? ` (and ${problems.length - SHOWN_PROBLEMS} more)` : '';
		super(
			'metrics-import-invalid',
			`${fileName} was not imported, nothing was changed: ${shown}${more}. Import a JSON or CSV ` +
				'file exported by the Monitor page, unchanged or with the same columns.'
		);
		this.name = 'MetricsImportError';
	}
}

export class MetricsStorageError extends HearthError {
	constructor(detail: string, cause?: unknown) {
		super(
			'metrics-storage',
			`Inference metrics could not be saved or read (${detail}). Free some storage, or lower ` +
				'the number of records kept on the Monitor page.',
			{ cause }
		);
		this.name = 'MetricsStorageError';
	}
}
