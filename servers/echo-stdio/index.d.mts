/** Absolute path of the echo-stdio server script (run it with `node <path>`). */
export declare const echoStdioPath: string;
