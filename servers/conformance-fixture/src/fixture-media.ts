/**
 * Media payloads the conformance scenarios compare byte for byte. The suite only checks that the
 * content is present, typed and base64, but the values are kept identical to the reference fixture's
 * so a diff of two servers' outputs stays readable.
 */

/** A 1×1 red PNG pixel, base64. Served by `test_image_content`, `test://static-binary` and prompts. */
export const PNG_PIXEL_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

/** A minimal WAV file (header + two bytes of silence), base64. Served by `test_audio_content`. */
export const WAV_SILENCE_BASE64 = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';
