/**
 * The strings of `<cita-account>` and the staff console (`/admin`). They live apart from the
 * booking flow's catalog (../strings.ts) because only the frame bundle and the /admin page use
 * them: the host page never downloads them.
 */
export interface AccountStrings {
  // views
  accountHeading: string;
  signInHeading: string;
  signUpHeading: string;
  forgotHeading: string;
  resetHeading: string;
  signUpStep: (step: number, total: number, name: string) => string;
  stepEmail: string;
  stepCode: string;
  stepPassword: string;
  // fields
  email: string;
  password: string;
  currentPassword: string;
  newPassword: string;
  name: string;
  nameHint: string;
  code: string;
  codeHint: (email: string) => string;
  showPassword: string;
  optional: string;
  // actions
  signIn: string;
  signingIn: string;
  signUp: string;
  createAccount: string;
  creatingAccount: string;
  sendCode: string;
  sendingCode: string;
  resendCode: string;
  continue: string;
  back: string;
  forgotPassword: string;
  sendResetLink: string;
  sendingResetLink: string;
  setPassword: string;
  savingPassword: string;
  changePassword: string;
  signOut: string;
  signingOut: string;
  signOutEverywhere: string;
  signOutEverywhereHint: string;
  haveAccount: string;
  noAccount: string;
  backToSignIn: string;
  cancel: string;
  // password policy
  policyHeading: string;
  policyLength: (min: number, max: number) => string;
  policyAnything: string;
  policyBlocklist: string;
  policyClasses: string;
  policyExpiry: (days: number) => string;
  lengthCount: (n: number, min: number) => string;
  ruleTooShort: (min: number) => string;
  ruleTooLong: (max: number) => string;
  ruleCommon: string;
  ruleContext: string;
  ruleRepetitive: string;
  ruleNeedsLower: string;
  ruleNeedsUpper: string;
  ruleNeedsDigit: string;
  ruleNeedsSymbol: string;
  passwordRejected: string;
  // field checks
  required: string;
  invalidEmail: string;
  invalidCode: string;
  // outcomes and errors
  checking: string;
  codeSent: (email: string) => string;
  resetSent: (email: string) => string;
  passwordChanged: string;
  passwordResetDone: string;
  signedInAs: (who: string) => string;
  signedOut: string;
  signedOutEverywhere: string;
  sessionEnded: string;
  /** The warning before an idle sign-out, and the view after one (account and console). */
  idle: {
    heading: string;
    /** `time`: `m:ss`. */
    countdown: (time: string) => string;
    stay: string;
    staying: string;
    stayed: string;
    /** `timeout`: "15 minutes". */
    signedOut: (timeout: string) => string;
  };
  /** "My data" in the account (issue 11, GDPR arts. 15, 17, 20). */
  myData: {
    heading: string;
    intro: string;
    download: string;
    downloading: string;
    downloaded: (file: string) => string;
    erase: string;
    eraseIntro: string;
    loadingPreview: string;
    previewHeading: string;
    bookings: (n: number) => string;
    upcoming: (n: number) => string;
    account: string;
    keptHeading: string;
    kept: Record<'invoices' | 'anonymised_bookings' | 'audit_log', string>;
    continue: string;
    keepAccount: string;
    reauthHeading: string;
    reauthHint: (minutes: number) => string;
    confirmPassword: string;
    checkingPassword: string;
    stepUpHeading: string;
    stepUpHint: string;
    finalHeading: string;
    finalHint: string;
    eraseForGood: string;
    erasing: string;
    erased: (cancelled: number) => string;
  };
  /** HIPAA mode: the notice after every staff sign-in. */
  hipaaNotice: {
    heading: string;
    text: string;
    acknowledge: string;
    acknowledging: string;
  };
  invalidCredentials: string;
  lockHint: string;
  codeRejected: string;
  tokenRejected: string;
  wrongCurrentPassword: string;
  rateLimited: (seconds: number) => string;
  networkError: string;
  timeoutError: string;
  genericError: string;
  /** A passkey sign-in refused: by the server (its problem code) or the browser (`cancelled`). */
  passkeyErrors: Record<string, string>;
  notConfigured: string;
  // bookings
  bookingsHeading: string;
  upcoming: string;
  past: string;
  noUpcoming: string;
  noPast: string;
  loadingBookings: string;
  bookingsFailed: string;
  retry: string;
  reference: string;
  with: (name: string) => string;
  statusCancelled: string;
  cancellableUntil: (when: string) => string;
  cancellationClosed: string;
  cancelBooking: string;
  cancelConfirm: (service: string, when: string) => string;
  cancelReally: string;
  keepBooking: string;
  cancelling: string;
  cancelled: (reference: string) => string;
  // security section
  securityHeading: string;
  twoFactorHeading: string;
  signInWithPasskey: string;
  useAnotherAccount: string;
  // staff console
  adminTitle: string;
  adminSignInHeading: string;
  adminSetupHeading: string;
  adminSetupIntro: string;
  adminSetupInvalid: string;
  business: string;
  businessHint: string;
  consoleHeading: string;
  /** The console's navigation (its aria-label) and its sections' names. */
  consoleNav: string;
  consoleSections: Record<'bookings' | 'customers' | 'staff' | 'settings' | 'audit' | 'history', string>;
  consoleSectionLoading: string;
  roleOwner: string;
  roleStaff: string;
  sessionUntil: (when: string) => string;
}
