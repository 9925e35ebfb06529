/** The model store's public face: everything else in Hearth goes through these functions. */
export {
	downloadVariant,
	UnknownVariantError,
	type DownloadOptions,
	type StoredFile
} from './download';
export {
	deleteUserModel,
	getUserModel,
	importLocalModel,
	listUserModels,
	saveUserModel,
	sha256Hex,
	type LocalFileBytes
} from './user-models';
export {
	deleteAllInstalls,
	deleteInstall,
	getInstall,
	getStorageInfo,
	listInstalls,
	readInstalledFile,
	readInstalledText,
	requestPersistentStorage,
	type InstallSummary,
	type StorageInfo
} from './installs';
export { installKeyOf, type InstallRecord, type SearchIndexRecord } from './db';
export {
	deleteSearchIndex,
	getSearchIndex,
	listSearchIndexes,
	saveSearchIndex,
	type SearchIndexSummary
} from './search-indexes';
export type { DownloadProgress, FileProgress } from './progress';
export * from './errors';
export {
	getDerivedVariant,
	listDerivedVariants,
	saveDerivedVariant,
	type NewDerivedVariant
} from './derived-variants';
export type { DerivedVariantRecord } from './db';
