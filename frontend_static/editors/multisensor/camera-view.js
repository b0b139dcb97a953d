// One camera sensor of the multi-sensor editor: the image vector view (../vector/editor.js) composed with the
// tracks component (../tracks/tracks-component.js) as its document provider, exactly as sequence-main.js
// composes them for image-vector-sequence, built into a panel of its own (ids prefixed per camera). Over the
// image, in the same image-pixel coordinates: the cuboids of the point-cloud sensor projected through the
// frame's calibration (projection.js; clicking one selects the cuboid), the lidar points (overlay.js, on
// demand), and a banner instead of both when the calibration is unusable.

import { h, replaceChildren, s } from "../../editor-core/dom.js";
import { Editor } from "../vector/editor.js";
import { findElements } from "../vector/page.js";
import { TracksComponent } from "../tracks/tracks-component.js";
import { trackIdOf } from "../tracks/sequence-document.js";
import { drawLidarOverlay } from "./overlay.js";
import { projectCuboidEdges } from "./projection.js";

const OVERLAY_SCALE = 0.5; // the lidar overlay canvas has half the image's resolution: 4x fewer pixels to fill

/** Element names of a camera panel (the vector view's and the tracks component's) -> id suffixes. */
const PARTS = {
  stage: "stage", world: "world", image: "image", svg: "svg", stageMessage: "message", tools: "tools", hint: "hint",
  cursor: "cursor", imageSize: "image-size", toast: "toast", zoomLevel: "zoom", sidebar: "sidebar",
  categories: "categories", object: "object", imageAttributesSection: "image-attributes-section",
  imageAttributes: "image-attributes", objects: "objects", objectCount: "object-count", errors: "errors",
  timeline: "timeline", frameLabel: "frame-label", play: "play", projections: "projections", lidar: "lidar",
  banner: "banner", boxFromCuboid: "box-from-cuboid", link: "link", enlarge: "enlarge", linkState: "link-state",
};

/**
 * The panel and sidebar of camera `index` (ids `ms-cam<index>-<part>`).
 * @param {number} index
 * @param {string} name the sensor's name
 * @returns {{panel: HTMLElement, sidebar: HTMLElement, hint: HTMLElement, timeline: HTMLElement, ids: Record<string, string>}}
 */
function buildCameraDom(index, name) {
  const ids = Object.fromEntries(Object.entries(PARTS).map(([part, suffix]) => [part, `ms-cam${index}-${suffix}`]));
  const button = (part, label, title, testid) => h("button", { type: "button", class: "btn small", id: ids[part], title, "data-testid": testid }, label);
  const panel = h("section", { class: "ms-panel ms-camera", "data-testid": "sensor-panel", "data-sensor": name, "data-kind": "image" },
    h("header", { class: "ms-panel-header" },
      h("span", { class: "ms-sensor-name" }, name),
      h("nav", { class: "ms-camera-tools", id: ids.tools, "aria-label": `Tools of ${name}` }),
      button("boxFromCuboid", "Box from cuboid", "Create the 2D box of the selected cuboid's projection here, linked to its track (R)", "box-from-cuboid"),
      button("link", "Link", "Link the selected 2D box to the selected cuboid, or unlink it (J)", "link-box"),
      h("span", { class: "ms-link-state", id: ids.linkState, "data-testid": "link-state" }),
      h("span", { class: "ms-zoom muted", id: ids.zoomLevel }),
      button("enlarge", "⤢", "Show this camera in the big slot (T)", "enlarge")),
    h("div", { class: "ve-stage ms-camera-stage", id: ids.stage, "data-testid": "camera-stage", tabindex: "0", "aria-label": `Camera ${name}` },
      h("div", { class: "ve-world", id: ids.world },
        h("img", { class: "ve-image", id: ids.image, alt: name, draggable: "false" }),
        h("canvas", { class: "ms-lidar-canvas", id: ids.lidar, hidden: true, "data-testid": "lidar-canvas" }),
        s("svg", { class: "ms-projections", id: ids.projections, "data-testid": "projections" }),
        s("svg", { class: "ve-svg", id: ids.svg, "aria-hidden": "true" })),
      h("div", { class: "ms-calibration-banner", id: ids.banner, hidden: true, "data-testid": "calibration-banner", role: "alert" }),
      h("div", { class: "ve-stage-message", id: ids.stageMessage }, "Loading image…"),
      h("div", { class: "ve-toast", id: ids.toast, hidden: true, "data-testid": "editor-toast", role: "status" })),
    h("div", { hidden: true },
      h("span", { id: ids.cursor }), h("span", { id: ids.imageSize }), h("span", { id: ids.frameLabel }),
      h("button", { type: "button", id: ids.play })));
  const timeline = h("div", {
    class: "sq-timeline ms-camera-timeline", id: ids.timeline, "data-testid": "camera-timeline", "data-sensor": name,
    "aria-label": `Timeline of ${name}: click or drag to change the frame`,
  });
  const section = (title, ...children) => h("section", { class: "ve-section" }, h("h2", {}, title), ...children);
  const sidebar = h("div", { class: "ms-sensor-sidebar", id: ids.sidebar, hidden: true, "data-testid": "sensor-sidebar", "data-sensor": name },
    h("div", { class: "ve-errors-slot", id: ids.errors, hidden: true }),
    section(`Categories · ${name}`, h("div", { id: ids.categories })),
    section("Selected track", h("div", { id: ids.object })),
    h("section", { class: "ve-section", id: ids.imageAttributesSection, hidden: true }, h("h2", {}, "Frame attributes"),
      h("div", { id: ids.imageAttributes, "data-testid": "image-attributes" })),
    section("Objects in this frame ", h("span", { class: "ve-count", id: ids.objectCount }), h("div", { id: ids.objects })));
  const hint = h("span", { id: ids.hint, hidden: true });
  return { panel, sidebar, hint, timeline, ids };
}

export class CameraView {
  /**
   * @param {{index: number, name: string, config: any, shell: any, history: any}} options
   *   config: the sensor's editor_config (sensor-label.js sensorConfig); shell: what the view calls back
   *   (changed, render, save); history: its channel of the shared history
   * @param {{sidebars: HTMLElement, hints: HTMLElement}} places where the panel's sidebar and hint go
   */
  constructor({ index, name, config, shell, history }, places) {
    this.name = name;
    this.kind = "image";
    const dom = buildCameraDom(index, name);
    this.panel = dom.panel;
    this.sidebar = dom.sidebar;
    this.hint = dom.hint;
    /** @type {HTMLElement} its rows of the page's timeline (multisensor-main.js places it) */
    this.timeline = dom.timeline;
    this.el = findElements(h("div", {}, dom.panel, dom.sidebar, dom.hint, dom.timeline), /** @type {any} */ (dom.ids));
    places.sidebars.append(dom.sidebar);
    places.hints.append(dom.hint);
    this.tracks = new TracksComponent(config);
    this.tracks.timelineTitle = name;
    this.editor = new Editor(this.el, config, shell, this.tracks);
    this.tracks.attach(this.editor);
    this.editor.history = history;
    /** @type {import("./projection.js").Camera|null} */
    this.camera = null;
    this.calibrationProblem = null;
    this.showLidar = false;
    this.lidarKey = null;
    /** @type {(() => void)|null} called when a frame's image has loaded */
    this.onImage = null;
    /** @type {number|null} the 2D track selected when last drawn */
    this.lastSelected = null;
  }

  /** Start the view once the panel is in the page (it measures its stage). */
  start() {
    this.editor.start();
    this.wireImage();
    new ResizeObserver(() => {
      if (this.editor.autoFit) this.editor.fit();
    }).observe(this.el.stage);
  }

  get keymap() {
    return this.editor.keymap;
  }

  get frameIndex() {
    return this.tracks.frameIndex;
  }

  setFrame(frame) {
    this.tracks.setFrame(frame);
  }

  /**
   * One <img> per frame in the view's world, all loaded and decoded at once; a frame change shows its image
   * and hides the others, so switching frames waits for no load or decode (three 2048x1536 photos per frame).
   */
  wireImage() {
    const { image, stageMessage, stage } = this.el;
    const urls = this.tracks.frames.map((frame) => frame.image_url);
    this.images = urls.map((url, frame) => {
      const element = frame === 0 ? image : /** @type {HTMLImageElement} */ (image.cloneNode(false));
      element.removeAttribute("id");
      element.hidden = true;
      element.dataset.frame = String(frame);
      element.addEventListener("load", () => {
        element.decode().catch(() => {}).finally(() => this.imageReady(frame));
      });
      element.addEventListener("error", () => this.imageFailed(frame, url));
      if (frame) image.parentElement.insertBefore(element, image.nextSibling);
      if (url) element.src = url;
      else queueMicrotask(() => this.imageFailed(frame, url));
      return element;
    });
    this.tracks.onFrameChange = (frame) => this.showImage(frame);
    if (urls.length) this.showImage(0);
    else stageMessage.textContent = "This camera has no frames.";
    stage.dataset.frameLoaded = "";
  }

  /** Show frame `frame`'s image (the stage says so once it is loaded). */
  showImage(frame) {
    this.images.forEach((element, index) => {
      element.hidden = index !== frame; // still laid out, transparent (multisensor-editor.css): not for assistive tech
      element.setAttribute("aria-hidden", String(index !== frame));
    });
    this.el.stage.dataset.frameLoaded = "";
    const element = this.images[frame];
    if (element && element.complete && element.naturalWidth) this.imageReady(frame);
    else if (element && element.complete && element.getAttribute("src")) this.imageFailed(frame, element.src);
  }

  imageReady(frame) {
    const element = this.images[frame];
    if (frame !== this.frameIndex || !element.naturalWidth) return;
    const editor = this.editor;
    this.el.stageMessage.hidden = true;
    if (!(editor.image.loaded && editor.image.width === element.naturalWidth && editor.image.height === element.naturalHeight)) {
      for (const each of this.images) {
        each.width = element.naturalWidth;
        each.height = element.naturalHeight;
      }
      editor.imageLoaded(element.naturalWidth, element.naturalHeight);
    }
    this.el.stage.dataset.frameLoaded = String(frame);
    if (this.onImage) this.onImage();
  }

  imageFailed(frame, url) {
    if (frame !== this.frameIndex) return;
    const message = this.el.stageMessage;
    message.hidden = false;
    message.textContent = `The image of frame ${frame + 1} could not be loaded: ${url || "(no image URL)"}`;
    message.classList.add("is-error");
  }

  /**
   * The frame's calibration: a Camera, or why it is unusable (then the banner shows and nothing is projected).
   * @param {{camera: any, issues: {path: string, message: string}[]}|undefined} calibration
   */
  setCalibration(calibration) {
    this.camera = calibration?.camera || null;
    const issue = calibration?.issues?.[0];
    this.calibrationProblem = this.camera ? null : issue ? `${issue.message} (${issue.path})` : "no calibration";
    const banner = this.el.banner;
    banner.hidden = !this.calibrationProblem;
    banner.textContent = this.calibrationProblem ? `Calibration unusable: ${this.calibrationProblem}. Cuboids and lidar points are not drawn in this camera.` : "";
    this.panel.classList.toggle("has-calibration-problem", Boolean(this.calibrationProblem));
  }

  /**
   * Draw the cuboids' projections (image pixels, under the 2D objects): the selected one highlighted.
   * @param {any[]} cuboids the point-cloud sensor's cuboids of this frame
   * @param {{selectedId: number|null, colorOf: (cuboid: any) => number[], onPick: (trackId: number) => void}} options
   */
  drawProjections(cuboids, { selectedId, colorOf, onPick }) {
    const svg = this.el.projections;
    const { width, height, loaded } = this.editor.image;
    if (!this.camera || !loaded) {
      replaceChildren(svg);
      svg.dataset.count = "0";
      return;
    }
    svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    const groups = [];
    for (const cuboid of cuboids) {
      const path = projectionPath(projectCuboidEdges(cuboid, this.camera), width, height);
      if (!path) continue;
      const trackId = trackIdOf(cuboid);
      const selected = trackId === selectedId;
      const [red, green, blue] = colorOf(cuboid);
      const pick = (event) => {
        if (this.editor.tool !== "select" || event.button !== 0) return;
        event.stopPropagation(); // the vector view would take the click as "deselect"
        onPick(trackId);
      };
      groups.push(s("g", { class: `ms-projection${selected ? " is-selected" : ""}`, "data-track-id": trackId, "data-testid": "projection", style: `--projection: rgb(${red}, ${green}, ${blue})` },
        s("path", { class: "ms-projection-hit", d: path, onpointerdown: pick }),
        s("path", { class: "ms-projection-line", d: path })));
    }
    groups.sort((a, b) => Number(a.classList.contains("is-selected")) - Number(b.classList.contains("is-selected"))); // selected on top
    replaceChildren(svg, groups);
    svg.dataset.count = String(groups.length);
  }

  /**
   * Draw (or hide) the lidar points of the frame over the image, coloured by depth; redrawn only when the
   * points, the calibration or the image change.
   * @param {Float32Array|null} positions the frame's points (flat xyz, the point cloud's frame), or null
   */
  drawLidar(positions) {
    const canvas = this.el.lidar;
    const { width, height, loaded } = this.editor.image;
    const show = this.showLidar && Boolean(this.camera && positions && loaded);
    canvas.hidden = !show;
    if (!show) return;
    const key = [positions, this.camera, width, height];
    if (this.lidarKey && key.every((value, index) => value === this.lidarKey[index])) return;
    this.lidarKey = key;
    canvas.width = Math.round(width * OVERLAY_SCALE);
    canvas.height = Math.round(height * OVERLAY_SCALE);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const context = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d", { willReadFrequently: true }));
    context.clearRect(0, 0, canvas.width, canvas.height);
    canvas.dataset.points = String(drawLidarOverlay(context, positions, this.camera, { scale: OVERLAY_SCALE, pointSize: 2 }));
  }

  /** Show or hide the panel's sidebar and hint (the active sensor's are shown). */
  setActive(active) {
    this.sidebar.hidden = !active;
    this.hint.hidden = !active;
    this.panel.classList.toggle("is-active", active);
  }

  /** The 2D track ids of every frame of this camera. @returns {Set<number>} */
  trackIds() {
    const ids = new Set();
    for (const frame of this.editor.doc.frames) {
      for (const annotation of frame.keyframes) ids.add(Number(trackIdOf(annotation)));
      for (const name of frame.removed) ids.add(Number(name));
    }
    return ids;
  }
}

/**
 * An SVG path of the projected edges (runs of finite points), or null when none of it falls in the image.
 * @param {(number[]|null)[][]} polylines
 * @param {number} width
 * @param {number} height
 */
function projectionPath(polylines, width, height) {
  let inside = false;
  const parts = [];
  for (const line of polylines) {
    let pen = "M";
    for (const point of line) {
      if (!point) {
        pen = "M";
        continue;
      }
      if (point[0] >= 0 && point[1] >= 0 && point[0] <= width && point[1] <= height) inside = true;
      parts.push(`${pen}${point[0].toFixed(1)},${point[1].toFixed(1)}`);
      pen = "L";
    }
  }
  return inside ? parts.join("") : null;
}
