/**
 * The UI kit: the building blocks every feature uses (import from "src/ui", not from its files).
 * They reuse the app's CSS classes (styles.css) so every screen keeps one look.
 */
import "./ui.css";

export { Button, type ButtonVariant } from "./Button";
export { CheckboxGroup, RadioGroup } from "./ChoiceGroups";
export { DataTable, type Column, type RowProps, type SortState } from "./DataTable";
export { ErrorSummary } from "./ErrorSummary";
export { Field, type FieldControlProps } from "./Field";
export { FigureTile, FigureTiles } from "./FigureTile";
export { InputField } from "./InputField";
export { ErrorNotice, Loaded, Loading, type QueryView } from "./Loaded";
export { Modal } from "./Modal";
export { Notice, type NoticeTone } from "./Notice";
export { RangeFields, rangeFieldId, rangeFieldIds, type RangeEnd, type RangeType } from "./RangeFields";
export { SelectField } from "./SelectField";
export { TextAreaField } from "./TextAreaField";
export { uiTexts } from "./texts";
