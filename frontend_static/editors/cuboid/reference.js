// The cuboid view's side of "Compare with" (editor-core/reference.js): another label set's cuboids of the sample
// (a detector's predictions), read-only, drawn as dashed wireframes in the 3D view. A click on one (where no
// edited cuboid is) picks it for copying (Shift+click adds); copying puts the picked cuboids into the edited
// label with new track ids as one undo step (of a sequence: the whole track, every keyframe).
import * as THREE from "three";

import { copyTrack, trackIdOf } from "../tracks/sequence-document.js";
import { frameFromLabel, materializeSequence, pastedCuboid, sequenceFromCuboidLabel } from "./cuboid-document.js";
import { placeBox } from "./boxes3d.js";

const UNIT_BOX = new THREE.BoxGeometry(1, 1, 1);

/** The reference layer of one cuboid view (composed by cuboid-editor.js). */
export class ReferenceCuboids {
  /** @param {import("./cuboid-editor.js").CuboidEditor} view */
  constructor(view) {
    this.view = view;
    /** @type {any} the reference label as a frame or sequence document; null: none shown */
    this.document = null;
    this.labelset = null;
    this.frames = null; // materialised frames of the reference (cached)
    /** @type {Set<number>} the reference cuboids picked for copying */
    this.picked = new Set();
    this.group = null;
    /** @type {THREE.Mesh[]} */
    this.pickable = [];
  }

  /** Show `attributes` of `labelset` (null: hide). */
  show(attributes, labelset) {
    const view = this.view;
    this.document = !attributes ? null : view.sequence ? sequenceFromCuboidLabel(attributes, view.frameCount) : frameFromLabel(attributes);
    this.labelset = labelset;
    this.frames = null;
    this.picked = new Set();
    view.renderAll();
  }

  /** The reference cuboids of the current frame ([] when none). */
  cuboids() {
    if (!this.document) return [];
    const view = this.view;
    if (!view.sequence) return this.document.annotations;
    if (!this.frames) {
      const dataset = view.config.dataset;
      this.frames = materializeSequence(this.document, { useRotation: view.useRotation, extrapolate: dataset.enable_extrapolation }).frames;
    }
    const frame = this.frames[view.frameIndex] || { annotations: [] };
    return (frame.annotations || []).filter((annotation) => !annotation.removed).map((annotation) => ({ ...annotation, id: trackIdOf(annotation) }));
  }

  /** A click in the 3D view that hit no edited cuboid: pick the reference cuboid there. True when one was hit. */
  click(camera, ndc, additive) {
    const raycaster = new THREE.Raycaster();
    raycaster.setFromCamera(new THREE.Vector2(ndc.x, ndc.y), camera);
    const [hit] = raycaster.intersectObjects(this.pickable, false);
    if (!hit) return false;
    const id = hit.object.userData.cuboidId;
    const picked = new Set(additive ? this.picked : []);
    if (additive && picked.has(id)) picked.delete(id);
    else picked.add(id);
    this.picked = picked;
    this.view.renderAll();
    return true;
  }

  /** Copy reference cuboids `ids` (default: the picked ones) as new tracks, one undo step; returns the count. */
  copy(ids) {
    const view = this.view;
    const wanted = ids || [...this.picked];
    const cuboids = this.cuboids().filter((cuboid) => wanted.includes(cuboid.id));
    if (!cuboids.length || view.readOnly) return 0;
    const created = [];
    view.change(() => {
      for (const cuboid of cuboids) {
        const id = view.nextId();
        if (view.sequence) copyTrack(view.document, this.document, cuboid.id, id);
        else view.document.annotations.push(pastedCuboid(cuboid, id));
        created.push(id);
      }
    });
    this.picked = new Set();
    view.select(created[created.length - 1]);
    return created.length;
  }

  /** [{id, name}] of the reference cuboids shown now. */
  objects() {
    return this.cuboids().map((cuboid) => ({ id: cuboid.id, name: `#${cuboid.id} ${this.view.styleOf(cuboid.category_id).name}` }));
  }

  /** Redraw the dashed wireframes in `scene`. */
  render(scene) {
    if (this.group) {
      scene.remove(this.group);
      this.group.traverse((object) => {
        const item = /** @type {any} */ (object);
        if (item.material) item.material.dispose();
        if (item.isLineSegments) item.geometry.dispose();
      });
    }
    this.group = new THREE.Group();
    this.pickable = [];
    for (const cuboid of this.cuboids()) {
      const picked = this.picked.has(cuboid.id);
      const [r, g, b] = this.view.styleOf(cuboid.category_id).color.map((channel) => channel / 255);
      const object = new THREE.Group();
      const edges = new THREE.LineSegments(new THREE.EdgesGeometry(UNIT_BOX), new THREE.LineDashedMaterial({
        color: picked ? 0xffffff : new THREE.Color(r, g, b), dashSize: 0.14, gapSize: 0.08,
      }));
      edges.computeLineDistances();
      const fill = new THREE.Mesh(UNIT_BOX, new THREE.MeshBasicMaterial({ transparent: true, opacity: 0, depthWrite: false }));
      fill.userData.cuboidId = cuboid.id;
      object.add(edges, fill);
      placeBox(object, cuboid, this.view.useRotation);
      this.group.add(object);
      this.pickable.push(fill);
    }
    scene.add(this.group);
  }
}
