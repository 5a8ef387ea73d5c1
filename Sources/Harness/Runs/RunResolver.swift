/// Turns a cell's effective setting (table setting ⊕ column override ⊕ row changes) into the run
/// that measures it at one scale and seed. Anything it cannot turn into a run it names as
/// `NotImplemented`, so that the cell says why instead of showing a number.
struct RunResolver {
    let scale: ScaleProfile

    /// The setting fields this resolver reads; any other top-level field is reported.
    static let understoodFields = TableParser.documentedSettingKeys

    /// Fields of a `teacher:` map besides its backbone's.
    static let teacherFields: Set<String> = ["detector", "box_head", "schedule", "multiscale", "recipe"]

    /// Detectors whose own box head already predicts distributions: `box_head: distribution`
    /// changes nothing there, so it is dropped and the run stays the plain detector's.
    static let distributionalDetectors: Set<String> = ["gfl", "gflv2"]

    /// Detectors with a GFL-ified head (LD's RetinaGFLHead, FCOSGFLHead, ATSSGFLHead):
    /// `box_head: distribution` means something only on these and on `distributionalDetectors`.
    static let gflifiableDetectors: Set<String> = ["retinanet", "fcos", "atss", "rotated_retinanet", "gwd"]

    /// Why `box_head` cannot apply to `detector`, or nil: `distribution` on a detector that has
    /// no GFL-ified head (Faster R-CNN…) would only put a meaningless field into the run's id.
    /// `TableValidator` reports it with the file and row; `model` refuses it as well.
    static func boxHeadProblem(_ value: SettingValue?, detector: String) -> String? {
        guard value == .string("distribution"),
              !gflifiableDetectors.contains(detector), !distributionalDetectors.contains(detector) else { return nil }
        let heads = gflifiableDetectors.sorted().joined(separator: ", ")
        return "box_head: distribution applies only to \(heads) (and gfl, gflv2, whose heads are distributional already), "
            + "not to detector \(detector)"
    }

    /// The student trained under `setting`. A teacher is attached only when the setting has
    /// distillation terms: a baseline row of a distillation table trains without one, although
    /// the table's shared setting names the teacher.
    func student(_ setting: SettingValue, seed: Int) -> Result<RunSpec, NotImplemented> {
        do { return .success(try studentSpec(setting, seed: seed)) } catch { return .failure(error) }
    }

    /// The teacher as a cell of a `role: teacher` row: evaluated on the table's split.
    func teacher(_ setting: SettingValue, seed: Int) -> Result<RunSpec, NotImplemented> {
        do { return .success(try teacherSpec(setting, seed: seed, split: setting["split"]?.string)) } catch { return .failure(error) }
    }

    /// The analysis run of the student trained under `setting` (see `RunAnalysis`): the student's
    /// spec with `analysis` set and, for a baseline, the setting's teacher attached (the one a
    /// distilled student of the same seed learns from). Its `subject` is exactly what `student`
    /// resolves, so the baseline's training run, and its id, do not change.
    func analysed(_ setting: SettingValue, seed: Int, analysis: RunAnalysis) -> Result<RunSpec, NotImplemented> {
        do { return .success(try analysisSpec(setting, seed: seed, analysis: analysis)) } catch { return .failure(error) }
    }

    private func analysisSpec(_ setting: SettingValue, seed: Int, analysis: RunAnalysis) throws(NotImplemented) -> RunSpec {
        var spec = try studentSpec(setting, seed: seed)
        if spec.teacher == nil {
            guard spec.distillation.isEmpty else {
                throw NotImplemented("\(analysis.kind) of a self-distilled run: it has no teacher to compare with")
            }
            guard setting["teacher"] != nil else {
                throw NotImplemented("\(analysis.kind): the setting names no teacher to compare the student with")
            }
            do { spec.teacher = try teacherSpec(setting, seed: seed, split: nil) } catch { throw NotImplemented("teacher: " + error.reason) }
        }
        spec.analysis = analysis
        return spec
    }

    private func studentSpec(_ setting: SettingValue, seed: Int) throws(NotImplemented) -> RunSpec {
        for key in (setting.map ?? [:]).keys.sorted() where !Self.understoodFields.contains(key) {
            throw NotImplemented("setting field '\(key)': not understood by the planner")
        }
        let terms = try distillationTerms(setting["distillation"])
        var teacher: RunSpec?
        if !terms.isEmpty, setting["teacher"] != nil {
            // Evaluated on the dataset's validation split whatever the student's table reports.
            do { teacher = try teacherSpec(setting, seed: seed, split: nil) } catch { throw NotImplemented("teacher: " + error.reason) }
        }
        return try model(setting: setting, modelMap: setting["student"], context: "student",
                         detector: setting["detector"], boxHead: setting["box_head"], schedule: setting["schedule"],
                         multiscale: setting["multiscale"], recipe: try PaperRecipe(setting["recipe"]),
                         split: setting["split"]?.string, terms: terms, teacher: teacher, seed: seed)
    }

    /// The teacher the setting names, trained on its own without distillation. Fields it leaves
    /// out come from the student's setting: the detector, its box head (so an LD teacher gets the
    /// student's distributional head), the schedule (UniKD's teachers state none) and multi-scale
    /// training; the dataset is always the student's. The student's `recipe` comes whole only
    /// with the student's schedule: its decays were written for that schedule's length.
    ///
    /// Seed policy: the teacher of a seed-s student is trained with seed s (one teacher per seed,
    /// shared by every student of that seed). A seed is a replicate of the whole pipeline, so the
    /// spread over seeds includes the teacher's own variance: the papers' claims are about
    /// methods, not about one teacher checkpoint.
    private func teacherSpec(_ setting: SettingValue, seed: Int, split: String?) throws(NotImplemented) -> RunSpec {
        guard let map = setting["teacher"], map.map != nil else {
            throw NotImplemented("the setting names no teacher")
        }
        let schedule = Self.teacherField("schedule", of: setting)
        var recipe = try PaperRecipe(Self.teacherField("recipe", of: setting))
        let ownSchedule = ScheduleSpec.epochs(stated: schedule?.string) != ScheduleSpec.epochs(stated: setting["schedule"]?.string)
        if map["recipe"] == nil && ownSchedule { recipe = recipe.forOtherSchedule }
        return try model(setting: setting, modelMap: map, context: "teacher",
                         detector: Self.teacherField("detector", of: setting),
                         boxHead: Self.teacherField("box_head", of: setting),
                         schedule: schedule,
                         multiscale: Self.teacherField("multiscale", of: setting), recipe: recipe,
                         split: split, terms: [], teacher: nil, seed: seed, ignoring: Self.teacherFields)
    }

    /// One of `teacherFields` of the setting's teacher: its own value, else the student's.
    static func teacherField(_ field: String, of setting: SettingValue) -> SettingValue? {
        setting["teacher"]?[field] ?? setting[field]
    }

    private func model(setting: SettingValue, modelMap: SettingValue?, context: String, detector: SettingValue?,
                       boxHead: SettingValue?, schedule: SettingValue?, multiscale: SettingValue?, recipe: PaperRecipe, split: String?,
                       terms: [SettingValue], teacher: RunSpec?, seed: Int,
                       ignoring: Set<String> = []) throws(NotImplemented) -> RunSpec {
        let datasetName = setting["dataset"]?.string
        let dataset = try DatasetSpec.resolve(name: datasetName, split: split, scale: scale).get()
        guard let detectorName = detector?.string else {
            throw NotImplemented("\(context): no detector given")
        }
        let head = try boxHeadName(boxHead, detector: detectorName)
        let backbone = try BackboneConfig.resolve(modelMap, scale: scale, context: context, ignoring: ignoring).get()
        let scheduleText: String?
        switch schedule {
        case nil: scheduleText = nil
        case let .string(text)?: scheduleText = text
        case let value?: throw NotImplemented("schedule '\(value)': not understood (expected 1x, 2x, 24e…)")
        }
        var resolvedSchedule = try ScheduleSpec.resolve(scheduleText, dataset: dataset.name, detector: detectorName, scale: scale).get()
        let released = ScaleCalibration.releasedLearningRate(detector: detectorName, boxHead: head)
        if scale == .full {
            resolvedSchedule = try recipe.applied(to: resolvedSchedule, dataset: dataset.name, releasedRate: released)
        } else if let released {
            // Part of the run's identity only where it departs from `paperLearningRate`.
            resolvedSchedule.learningRate = released
        }
        let multiscaleFlag: Bool
        switch multiscale {
        case nil: multiscaleFlag = ScaleCalibration.unstatedMultiscale
        case let .bool(flag)?: multiscaleFlag = flag
        case let value?: throw NotImplemented("multiscale '\(value)': expected true or false")
        }
        return RunSpec(scale: scale, dataset: dataset, detector: detectorName, backbone: backbone,
                       schedule: resolvedSchedule, multiscale: multiscaleFlag, distillation: terms,
                       teacher: teacher, seed: seed, boxHead: head)
    }

    /// `box_head`: absent or `native` is the detector's own head (nil); `distribution` the
    /// GFL-ified one, except on a detector whose head is distributional already (dropped) and on
    /// one without a GFL-ified head (refused).
    private func boxHeadName(_ value: SettingValue?, detector: String) throws(NotImplemented) -> String? {
        if let problem = Self.boxHeadProblem(value, detector: detector) { throw NotImplemented(problem) }
        switch value {
        case nil, .string("native")?: return nil
        case .string("distribution")?: return Self.distributionalDetectors.contains(detector) ? nil : "distribution"
        case let value?: throw NotImplemented("box_head '\(value)': expected distribution or native")
        }
    }

    private func distillationTerms(_ value: SettingValue?) throws(NotImplemented) -> [SettingValue] {
        guard let value else { return [] }
        guard let items = value.list else { throw NotImplemented("distillation: expected a list of terms") }
        for item in items where item["method"]?.string == nil {
            throw NotImplemented("distillation term \(item): names no method")
        }
        return items
    }
}
