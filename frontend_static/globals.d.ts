// What the pages put on `window` (handy from the browser console and used by the browser tests), and the
// Chart.js UMD global of the releases panel.
interface Window {
  vectorEditor: any;
  sequenceEditor: any;
  sequenceTracks: any;
  segmentationEditor: any;
  maskFrames: any;
  Chart: any;
}
