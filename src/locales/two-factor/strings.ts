/**
 * The strings of `<cita-two-factor-prompt>` (and the passkey popup). Like the account's, only the
 * frame bundle and the /admin page carry them.
 */
export interface TwoFactorStrings {
  // headings
  challengeHeading: string;
  verifyHeading: string;
  enrolHeading: string;
  enrolRequiredIntro: string;
  enrolOptionalIntro: string;
  appHeading: string;
  passkeyHeading: string;
  codesHeading: string;
  manageHeading: string;
  // challenge
  challengeIntro: string;
  useApp: string;
  usePasskey: string;
  useRecovery: string;
  appCode: string;
  appCodeHint: string;
  recoveryCode: string;
  recoveryCodeHint: string;
  verify: string;
  verifying: string;
  passkeyIntro: string;
  passkeyButton: string;
  passkeyWaiting: string;
  otherMethods: string;
  recoveryLeft: (n: number) => string;
  // enrol: app
  chooseApp: string;
  chooseAppHint: string;
  choosePasskey: string;
  choosePasskeyHint: string;
  appStep1: string;
  appStep2: string;
  appStep3: string;
  qrLabel: string;
  secretLabel: string;
  secretHint: string;
  copy: string;
  copied: string;
  preparing: string;
  confirmApp: string;
  // enrol: passkey
  passkeyName: string;
  passkeyNameHint: string;
  passkeyDefaultName: string;
  createPasskey: string;
  creatingPasskey: string;
  popupIntro: string;
  openPopup: string;
  popupOpened: string;
  popupBlocked: string;
  popupHeading: string;
  popupReady: string;
  popupDone: string;
  popupClosedEarly: string;
  // recovery codes
  codesIntro: string;
  codesWarning: string;
  codesSaved: string;
  codesListLabel: string;
  done: string;
  // manage
  policyRequired: string;
  policyOptional: string;
  appRow: (date: string) => string;
  noApp: string;
  passkeysHeading: string;
  noPasskeys: string;
  passkeyRow: (date: string, used?: string) => string;
  synced: string;
  recoveryRow: (n: number, date: string) => string;
  noRecovery: string;
  addApp: string;
  addPasskey: string;
  rename: string;
  saveName: string;
  remove: string;
  removeConfirm: (what: string) => string;
  removeApp: string;
  newCodes: string;
  newCodesConfirm: string;
  passwordToConfirm: string;
  cancel: string;
  appAdded: string;
  passkeyAdded: string;
  removed: string;
  renamed: string;
  // outcomes and errors
  verified: string;
  signInFirst: string;
  disabled: string;
  required: string;
  error: Record<string, string>;
  genericError: string;
  networkError: string;
  rateLimited: (seconds: number) => string;
  passkeyCancelled: string;
  passkeyUnsupported: string;
}
